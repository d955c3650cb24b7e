import { mergeConfig } from '@shop/platform';
import { startStack, Stack, testConfig } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, shippingMethodId } from '../support/shop';
import { SwitchableProxy, startSwitchableProxy } from '../support/switchable-proxy';

/**
 * Checkout reads the cart from the cart subgraph at once. When cart does
 * not answer, checkout says so with a userError within the call's time
 * limit; after a few failures in a row the breaker stops asking cart at
 * all, and one trial call after the half-open delay closes it again.
 */
const TIMEOUT_MS = 500;
const FAILURES = 3;
const HALF_OPEN_MS = 1500;

let stack: Stack;
let cart: SwitchableProxy;
let customer: TestUser;
let cartId: string;
let methodId: string;
let attempt = 0;

beforeAll(async () => {
  const config = mergeConfig(testConfig(), {
    subgraphCalls: { timeoutMs: TIMEOUT_MS, breakerFailures: FAILURES, breakerHalfOpenMs: HALF_OPEN_MS },
  });
  // No discounts: the cart's calls to it are refused.
  stack = await startStack(['accounts', 'catalog', 'inventory', 'cart', 'orders', 'shipping'], config);
  const admin = await userWithRole(stack, 'ADMIN');
  methodId = await shippingMethodId(stack);
  customer = await registerUser(stack);
  const productId = await productWithStock(stack, admin, 1200, 50);
  cartId = (await addToCart(stack, { productId, quantity: 1 }, customer.token)).cart.id;
  // Orders reaches cart through the proxy from now on; the gateway keeps its own route.
  cart = await startSwitchableProxy(stack.config.subgraphUrls.cart!);
  stack.config.subgraphUrls.cart = cart.url;
});
afterAll(async () => {
  await cart?.stop();
  await stack?.stop();
});

async function checkout() {
  attempt += 1;
  const started = Date.now();
  const data = await must(stack, CHECKOUT, {
    i: { cartId, shippingAddress: ADDRESS, shippingMethodId: methodId, paymentToken: 'tok_visa', idempotencyKey: `breaker-${attempt}` },
  }, customer.token);
  return { ...data.checkout, ms: Date.now() - started };
}

const UNAVAILABLE = { code: 'SERVICE_UNAVAILABLE', message: 'The cart service is unavailable, try again shortly', field: ['input'] };

describe('checkout with the cart subgraph unavailable', () => {
  it('answers SERVICE_UNAVAILABLE within the call time limit when cart hangs', async () => {
    cart.mode = 'hang';
    const res = await checkout();
    expect(res.order).toBeNull();
    expect(res.userErrors).toEqual([UNAVAILABLE]);
    expect(res.ms).toBeLessThan(TIMEOUT_MS + 1500);
  });

  it('opens the breaker after consecutive failures: calls stop reaching cart and answer at once', async () => {
    cart.mode = 'refuse';
    for (let i = 1; i < FAILURES; i++) expect((await checkout()).userErrors).toEqual([UNAVAILABLE]);
    expect(cart.hits).toBe(FAILURES);
    for (let i = 0; i < 3; i++) {
      const res = await checkout();
      expect(res.userErrors).toEqual([UNAVAILABLE]);
      expect(res.ms).toBeLessThan(500);
    }
    expect(cart.hits).toBe(FAILURES); // the open breaker did not ask
  });

  it('stays open until the half-open delay, then one successful call closes it', async () => {
    cart.mode = 'forward';
    expect((await checkout()).userErrors).toEqual([UNAVAILABLE]); // still open: cart is back but not asked yet
    expect(cart.hits).toBe(FAILURES);
    await new Promise((r) => setTimeout(r, HALF_OPEN_MS + 200));
    const placed = await checkout();
    expect(placed.userErrors).toEqual([]);
    expect(placed.order.status).toBe('PENDING');
    expect(cart.hits).toBe(FAILURES + 1);
  });
});

describe('applyCoupon with discounts unavailable', () => {
  it('answers SERVICE_UNAVAILABLE on the code and leaves the cart as it was', async () => {
    const res = await must(stack, 'mutation($c: ID!) { applyCoupon(cartId: $c, code: "SAVE10") { cart { couponCode } userErrors { code message field } } }',
      { c: cartId }, customer.token);
    expect(res.applyCoupon.userErrors).toEqual([
      { code: 'SERVICE_UNAVAILABLE', message: 'The discounts service is unavailable, try again shortly', field: ['code'] },
    ]);
    expect(res.applyCoupon.cart?.couponCode ?? null).toBeNull();
  });
});
