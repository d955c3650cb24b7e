import { newId } from '@shop/platform';
import { Stack } from './stack';
import { ok } from './graphql-client';
import { eventually } from './eventually';
import { subgraphSql } from './database';

export const CART_FIELDS = `id currency couponCode
  lines { id product { id } quantity unitPrice { amount currency } lineTotal { amount currency } }
  subtotal { amount currency }`;
export const ADD = `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { ${CART_FIELDS} } userErrors { field message code } } }`;
export const UPDATE_LINE = `mutation($c: ID!, $l: ID!, $q: Int!) {
  updateCartLine(cartId: $c, lineId: $l, quantity: $q) { cart { ${CART_FIELDS} } userErrors { field code } } }`;
export const REMOVE_LINE = `mutation($c: ID!, $l: ID!) { removeCartLine(cartId: $c, lineId: $l) { cart { ${CART_FIELDS} } userErrors { field code } } }`;
export const CART = `query($id: ID) { cart(id: $id) { ${CART_FIELDS} } }`;
export const APPLY = `mutation($c: ID!, $code: String!) {
  applyCoupon(cartId: $c, code: $code) { cart { id couponCode subtotal { amount } discount { amount currency } total { amount currency } } userErrors { field message code } } }`;

/** Runs SQL against the cart subgraph's own database. */
export function cartSql<T = any>(stack: Stack, sql: string, params: unknown[] = []): Promise<T[]> {
  return subgraphSql<T>(stack, 'cart', sql, params);
}

/** Waits until the cart's projection of a product shows this price. */
export async function projectedPrice(stack: Stack, productId: string, amount: number, currency: string): Promise<void> {
  await eventually(async () => (await cartSql(stack,
    'SELECT 1 FROM products WHERE product_id = ? AND price_amount = ? AND price_currency = ?', [productId, amount, currency])).length === 1,
  'product projected');
}

/** Creates a product in the catalog as an ADMIN, and waits until the cart knows it. */
export async function catalogProduct(stack: Stack, admin: string, price = 1000, currency = 'EUR', name = `Lamp ${newId().slice(0, 8)}`): Promise<string> {
  const created = ok(await stack.gql(`mutation($input: ProductInput!) { createProduct(input: $input) { id } }`,
    { input: { name, price, currency } }, admin), 'createProduct');
  await projectedPrice(stack, created.id, price, currency);
  return created.id;
}

/** Changes a product's price in the catalog, and waits until the cart sees it. */
export async function reprice(stack: Stack, admin: string, productId: string, price: number, currency = 'EUR'): Promise<void> {
  ok(await stack.gql(`mutation($id: ID!, $input: ProductInput!) { updateProduct(id: $id, input: $input) { id } }`,
    { id: productId, input: { name: `Repriced ${productId.slice(0, 8)}`, price, currency } }, admin), 'updateProduct');
  await projectedPrice(stack, productId, price, currency);
}

/** Sets a product's stock in inventory as an ADMIN (once inventory knows it), and waits until the cart sees it. */
export async function stock(stack: Stack, admin: string, productId: string, onHand: number): Promise<void> {
  const set = `mutation($p: ID!, $n: Int!) { setStock(productId: $p, onHand: $n) { available } }`;
  await eventually(async () => !(await stack.gql(set, { p: productId, n: onHand }, admin)).errors, 'stock set');
  await eventually(async () => (await cartSql(stack,
    'SELECT 1 FROM stock WHERE product_id = ? AND available = ?', [productId, onHand])).length === 1, 'stock projected');
}

/** A product on sale: in the catalog at `price` EUR cents, with `onHand` units in stock. */
export async function sellable(stack: Stack, admin: string, price = 1000, onHand = 10): Promise<string> {
  const id = await catalogProduct(stack, admin, price);
  await stock(stack, admin, id, onHand);
  return id;
}

/** Adds to a cart and returns the payload, failing on userErrors. */
export async function add(stack: Stack, input: { cartId?: string; productId: string; quantity: number }, token?: string): Promise<any> {
  const payload = ok(await stack.gql(ADD, { input }, token), 'addToCart');
  if (payload.userErrors.length) throw new Error(`addToCart refused: ${JSON.stringify(payload.userErrors)}`);
  return payload.cart;
}
