/** The most units of one product a cart line may hold (the database CHECK says the same). */
export const MAX_LINE_QUANTITY = 20;

/** True for a quantity a line may hold: an integer from 1 to MAX_LINE_QUANTITY. */
export function isLineQuantity(quantity: number): boolean {
  return Number.isInteger(quantity) && quantity >= 1 && quantity <= MAX_LINE_QUANTITY;
}
