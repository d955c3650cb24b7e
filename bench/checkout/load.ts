import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { GatewayClient } from './client';
import { ADDRESS } from '../../tests/support/shop';
import { Tally } from '../stats';
import { Catalog } from './setup';
import { OrderOutcomes, Outcome, SAGA_STEPS } from './order-outcomes';

export interface LoadOptions { seconds: number; settleMs: number }

export interface LoadResult {
  windowMs: number;
  /** Checkout answered with an order. */
  placed: number;
  checkoutMs: number[];
  /** Sending checkout → CONFIRMED seen on the bus. */
  confirmMs: number[];
  confirmedInWindow: number;
  cancelled: Tally;
  /** Placed orders with no outcome within settleMs. */
  unsettled: number;
  errors: Tally;
  /** addToCart refused a product the cart had not heard of yet. */
  addRetries: number;
  /** The cart still held the previous order's line when the next one was added (cart had not consumed `orders.order.placed` yet). */
  cartLagMs: number[];
  /** For CONFIRMED orders: time from the previous saga event (or from sending checkout) to each next one. */
  hopMs: Map<string, number[]>;
}

const HOPS = ['checkout sent -> placed event', 'placed -> stock reserved', 'reserved -> payment authorized', 'authorized -> CONFIRMED'];

function recordHops(r: LoadResult, sent: number, outcome: Outcome): void {
  const times = SAGA_STEPS.map((step) => outcome.steps[step]);
  if (times.some((t) => t === undefined)) return;
  [sent, ...times as number[]].forEach((from, i) => {
    const to = i < times.length ? times[i]! : outcome.at;
    const samples = r.hopMs.get(HOPS[i]!) ?? [];
    samples.push(to - from);
    r.hopMs.set(HOPS[i]!, samples);
  });
}

const ADD = `mutation($i: AddToCartInput!) { addToCart(input: $i) { cart { id lines { quantity product { id } } } userErrors { code message } } }`;
const CART = `query($id: ID) { cart(id: $id) { id lines { quantity product { id } } } }`;
const CHECKOUT = `mutation($i: CheckoutInput!) { checkout(input: $i) { order { id status } userErrors { code message } } }`;

type Cart = { id: string; lines: { quantity: number; product: { id: string } }[] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const onlyLine = (cart: Cart, productId: string) =>
  cart.lines.length === 1 && cart.lines[0]!.quantity === 1 && cart.lines[0]!.product.id === productId;
const firstCode = (errors: { message: string; extensions?: Record<string, any> }[]) =>
  `${errors[0]!.extensions?.code ?? 'ERROR'}: ${errors[0]!.message.slice(0, 120)}`;

/** addToCart, retried while the cart's product projection has not caught up with setup. */
async function addToCart(client: GatewayClient, token: string, productId: string, r: LoadResult): Promise<Cart | null> {
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await client.gql(ADD, { i: { productId, quantity: 1 } }, token);
    const payload = res.data?.addToCart;
    if (!payload) { r.errors.add(`addToCart ${firstCode(res.errors ?? [{ message: `HTTP ${res.status}` }])}`); return null; }
    const code = payload.userErrors[0]?.code;
    if (!code) return payload.cart;
    if ((code !== 'PRODUCT_NOT_FOUND' && code !== 'INSUFFICIENT_STOCK') || Date.now() > until) {
      r.errors.add(`addToCart userError ${code}`);
      return null;
    }
    r.addRetries += 1;
    await sleep(50);
  }
}

/** Waits (bounded) until the previous order's line has left the cart, so each order holds exactly one unit. */
async function cleanCart(client: GatewayClient, token: string, cart: Cart, productId: string, r: LoadResult): Promise<void> {
  const started = performance.now();
  let current = cart;
  // Backing off: under load the wait is long, and fast polling would be load of its own on cart and the gateway.
  for (let pause = 25; !onlyLine(current, productId); pause = Math.min(250, pause * 2)) {
    if (performance.now() - started > 5000) {
      r.errors.add(`cart still held the previous order after 5 s (lines: ${current.lines.map((l) => `${l.product.id.slice(0, 8)} x${l.quantity}`).join(', ')}; adding ${productId.slice(0, 8)})`);
      return;
    }
    await sleep(pause);
    const res = await client.gql(CART, { id: cart.id }, token);
    if (res.errors?.length) r.errors.add(`cart query while waiting: ${firstCode(res.errors)}`);
    current = res.data?.cart ?? current;
  }
  r.cartLagMs.push(performance.now() - started);
}

async function customerLoop(
  client: GatewayClient, token: string, catalog: Catalog, outcomes: OrderOutcomes, start: number, end: number, o: LoadOptions, r: LoadResult,
): Promise<void> {
  // A checkout that failed (the shop unavailable for a moment) may or may not have placed its order: the customer sends
  // it again, same cart, same idempotency key, as a client retrying should.
  let unordered = null as { cart: Cart; key: string } | null;
  while (performance.now() < end) {
    try {
      let cart: Cart | null = unordered?.cart ?? null;
      const key: string = unordered?.key ?? randomUUID();
      unordered = null;
      if (!cart) {
        const productId = catalog.productIds[Math.floor(Math.random() * catalog.productIds.length)]!;
        cart = await addToCart(client, token, productId, r);
        if (!cart) { await sleep(100); continue; }
        if (!onlyLine(cart, productId)) await cleanCart(client, token, cart, productId, r);
      }
      const input = {
        cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: catalog.shippingMethodId,
        paymentToken: 'tok_visa', idempotencyKey: key,
      };
      const sent = performance.now();
      const res = await client.gql(CHECKOUT, { i: input }, token);
      const answered = performance.now();
      const payload = res.data?.checkout;
      if (!payload) {
        r.errors.add(`checkout ${firstCode(res.errors ?? [{ message: `HTTP ${res.status}` }])}`);
        unordered = { cart, key };
        await sleep(100);
        continue;
      }
      if (!payload.order) { r.errors.add(`checkout userError ${payload.userErrors[0]?.code}`); await sleep(100); continue; }
      r.placed += 1;
      r.checkoutMs.push(answered - sent);
      // A customer waits for the outcome before shopping again: a closed loop, throughput is what the shop sustains.
      const outcome = await outcomes.wait(payload.order.id, o.settleMs);
      if (!outcome) r.unsettled += 1;
      else if (outcome.status === 'CANCELLED') r.cancelled.add(outcome.reason ?? '(no reason)');
      else {
        r.confirmMs.push(outcome.at - sent);
        recordHops(r, sent, outcome);
        if (outcome.at >= start && outcome.at <= end) r.confirmedInWindow += 1;
      }
    } catch (e) {
      r.errors.add(`client: ${(e as Error).message.slice(0, 120)}`);
      await sleep(200);
    }
  }
}

export function newLoadResult(seconds: number): LoadResult {
  return {
    windowMs: seconds * 1000, placed: 0, checkoutMs: [], confirmMs: [], confirmedInWindow: 0,
    cancelled: new Tally(), unsettled: 0, errors: new Tally(), addRetries: 0, cartLagMs: [], hopMs: new Map(),
  };
}

/** Every customer shops in a loop for the window; orders in flight at its end are waited for (bounded by settleMs). */
export async function runLoad(url: string, catalog: Catalog, outcomes: OrderOutcomes, o: LoadOptions, r: LoadResult): Promise<void> {
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const client = new GatewayClient(url, catalog.customers.length);
  try {
    await Promise.all(catalog.customers.map((c) => customerLoop(client, c.token, catalog, outcomes, start, end, o, r)));
  } finally {
    await client.close();
  }
}
