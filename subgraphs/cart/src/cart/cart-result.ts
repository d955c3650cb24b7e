import { UserError, userError } from '@shop/platform';

/** What a cart command answers: the cart to show (by id, read after the write) and why it refused, if it did. */
export interface CartResult {
  cartId: string | null;
  userErrors: UserError[];
}

export const done = (cartId: string): CartResult => ({ cartId, userErrors: [] });

export function refused(cartId: string | null, code: string, message: string, field: string[]): CartResult {
  return { cartId, userErrors: [userError(code, message, field)] };
}

/** Thrown inside a command's transaction to roll it back and answer with userErrors. */
export class CartRefusal extends Error {
  constructor(readonly result: CartResult) {
    super(result.userErrors.map((e) => e.code).join(', '));
  }
}

/** The answer for a cart id that names no cart the caller may use: the same whether it is unknown or someone else's. */
export const cartNotFound = (field: string[]): CartResult =>
  refused(null, 'CART_NOT_FOUND', 'No cart with this id is yours to use', field);
