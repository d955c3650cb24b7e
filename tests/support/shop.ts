import { Stack } from './stack';
import { TestUser } from './users';
import { eventually } from './eventually';

/** Runs an operation that must succeed; throws with the server's answer otherwise. */
export async function must<T = any>(stack: Stack, query: string, variables: Record<string, unknown>, token?: string | null): Promise<T> {
  const res = await stack.gql(query, variables, token);
  if (res.errors?.length || !res.data) throw new Error(`operation failed: ${JSON.stringify(res.errors ?? res)}`);
  return res.data;
}

let seq = 0;

/** Creates a product with stock as an admin would, and waits until inventory holds the stock. */
export async function productWithStock(stack: Stack, admin: TestUser, price: number, onHand: number, name?: string): Promise<string> {
  seq += 1;
  const created = await must(stack, 'mutation($i: ProductInput!) { createProduct(input: $i) { id } }', {
    i: { name: name ?? `Test product ${seq} ${Date.now()}`, description: 'A product for tests', price, currency: 'EUR' },
  }, admin.token);
  const id = created.createProduct.id as string;
  await eventually(async () => {
    const res = await stack.gql('mutation($p: ID!, $n: Int!) { setStock(productId: $p, onHand: $n) { onHand } }', { p: id, n: onHand }, admin.token);
    return res.data?.setStock?.onHand === onHand;
  }, `inventory knows product ${id}`);
  return id;
}

const ADD = `mutation($i: AddToCartInput!) { addToCart(input: $i) { cart { id lines { id quantity product { id } } } userErrors { code message } } }`;

/** Adds to a cart, waiting while the cart has not yet heard of a product just created. */
export async function addToCart(stack: Stack, input: { cartId?: string; productId: string; quantity: number }, token?: string | null): Promise<any> {
  return eventually(async () => {
    const res = await stack.gql(ADD, { i: input }, token);
    const payload = res.data?.addToCart;
    if (!payload) throw new Error(JSON.stringify(res.errors));
    if (payload.userErrors.some((e: any) => e.code === 'PRODUCT_NOT_FOUND' || e.code === 'INSUFFICIENT_STOCK')) return null;
    return payload;
  }, `cart accepts product ${input.productId}`);
}

export const ADDRESS = { name: 'Ada Lovelace', line1: '1 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };

/** The id of the EUR standard shipping method for France. */
export async function shippingMethodId(stack: Stack): Promise<string> {
  const data = await must(stack, '{ shippingMethods(country: "FR") { id price { currency } } }', {});
  return data.shippingMethods.find((m: any) => m.price.currency === 'EUR').id;
}

export const CHECKOUT = `mutation($i: CheckoutInput!) { checkout(input: $i) { order { id number status total { amount currency } } userErrors { code message field } } }`;

export const ORDER_STATE = `query($id: ID!) { order(id: $id) { id status cancellationReason payment { status } statusHistory { status reason } } }`;

/** Waits until the order leaves PENDING, and returns it. */
export async function settledOrder(stack: Stack, orderId: string, token: string): Promise<any> {
  return eventually(async () => {
    const res = await stack.gql(ORDER_STATE, { id: orderId }, token);
    const order = res.data?.order;
    return order && order.status !== 'PENDING' ? order : null;
  }, `order ${orderId} settled`, 30_000);
}
