import { Client } from 'graphql-ws';
import { startStack, Stack } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, shippingMethodId } from '../support/shop';
import { SET_STOCK } from '../support/inventory';
import { eventually, subscribe, TestSubscription, wsClient } from '../support/ws-client';

/**
 * Subscribers alike share one upstream operation and one run of each
 * event's entity fetches; callers whose rights differ never share what
 * they may not see. Counts at the subgraphs, not timings.
 */
let stack: Stack;
let admin: TestUser;
const clients: Client[] = [];
/** POSTs to the catalog's /graphql: with the stock mutations going to inventory, the entity fetches of the events. */
let catalogPosts = 0;

function client(token?: string): Client {
  const c = wsClient(stack.gatewayUrl, token);
  clients.push(c);
  return c;
}

const gateway = () => stack.gateway.subscriptions.stats();
const upstreamAt = (name: 'inventory' | 'orders') => stack.subgraphs[name]!.subscriptions!.stats().operations;

async function allReleased(): Promise<void> {
  await eventually(() => gateway().operations === 0 && gateway().upstreamOperations === 0 && gateway().sharedStreams === 0, 'gateway streams released');
  await eventually(() => upstreamAt('inventory') === 0 && upstreamAt('orders') === 0, 'subgraph operations released');
}

async function setStock(productId: string, onHand: number): Promise<void> {
  await must(stack, SET_STOCK, { p: productId, n: onHand }, admin.token);
}

async function placeOrder(customer: TestUser, productId: string, key: string): Promise<string> {
  const { cart } = await addToCart(stack, { productId, quantity: 1 }, customer.token);
  const placed = await must(stack, CHECKOUT, {
    i: { cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: key },
  }, customer.token);
  return placed.checkout.order.id;
}

/** Reads results until one says that `orderId` entered `status`. */
async function nextAbout(sub: TestSubscription, orderId: string, status: string): Promise<any> {
  for (;;) {
    const result = await sub.next(20_000);
    const order = result.data?.ordersUpdated as { id?: string; status?: string } | undefined;
    if (order?.id === orderId && order.status === status) return result;
  }
}

beforeAll(async () => {
  stack = await startStack();
  admin = await userWithRole(stack, 'ADMIN');
  stack.subgraphs.catalog!.server.on('request', (req) => { if (req.method === 'POST') catalogPosts += 1; });
});
afterEach(allReleased);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

describe('shared subscription streams', () => {
  it('serves N subscribers of one public selection with one upstream operation and one entity fetch per event', async () => {
    const productId = await productWithStock(stack, admin, 1500, 10, 'Shared Teapot');
    const query = 'subscription($p: [ID!]) { stockChanged(productIds: $p) { id name stock { available inStock } } }';
    // Different layout, same operation; some on one socket, the others each on its own, signed in or not.
    const layouts = [query, query.replace(/ /g, '  '), query.replace('{ id', '{\n id')];
    const shared = client();
    const subs = Array.from({ length: 12 }, (_, i) => subscribe(
      i < 4 ? shared : client(i % 3 === 0 ? admin.token : undefined), layouts[i % 3], { p: [productId] },
    ));
    await eventually(() => gateway().operations === 12, 'all 12 subscribed');
    await eventually(() => upstreamAt('inventory') === 1, 'the one upstream operation live');
    expect(gateway()).toMatchObject({ sharedStreams: 1, upstreamOperations: 1 });

    const before = catalogPosts;
    await setStock(productId, 7);
    await setStock(productId, 0);
    for (const sub of subs) {
      expect(await sub.next()).toEqual({ data: { stockChanged: { id: productId, name: 'Shared Teapot', stock: { available: 7, inStock: true } } } });
      expect(await sub.next()).toEqual({ data: { stockChanged: { id: productId, name: 'Shared Teapot', stock: { available: 0, inStock: false } } } });
    }
    expect(catalogPosts - before).toBe(2); // one name fetch per event, not per subscriber

    // One member leaving keeps the others flowing; the last one closes the upstream operation.
    await subs[0].stop();
    await subs[5].stop();
    await eventually(() => gateway().operations === 10, 'two left');
    expect(upstreamAt('inventory')).toBe(1);
    await setStock(productId, 3);
    for (const sub of subs.filter((_, i) => i !== 0 && i !== 5)) {
      expect((await sub.next()).data).toEqual({ stockChanged: { id: productId, name: 'Shared Teapot', stock: { available: 3, inStock: true } } });
    }
    await Promise.all(subs.map((s) => s.stop()));
  });

  it('shares an ADMIN-only field per role: the ADMIN sees onHand, the others get their own error', async () => {
    const productId = await productWithStock(stack, admin, 900, 5);
    const customer = await registerUser(stack);
    const query = 'subscription($p: [ID!]) { stockChanged(productIds: $p) { id stock { available onHand } } }';
    const admins = [subscribe(client(admin.token), query, { p: [productId] }), subscribe(client((await userWithRole(stack, 'ADMIN')).token), query, { p: [productId] })];
    const anonymous = subscribe(client(), query, { p: [productId] });
    const signedIn = subscribe(client(customer.token), query, { p: [productId] });
    await eventually(() => gateway().operations === 4 && upstreamAt('inventory') === 3, 'one stream per role');
    expect(gateway().sharedStreams).toBe(3);

    await setStock(productId, 9);
    for (const sub of admins) expect(await sub.next()).toEqual({ data: { stockChanged: { id: productId, stock: { available: 9, onHand: 9 } } } });
    const anon = await anonymous.next();
    expect(anon.data).toEqual({ stockChanged: { id: productId, stock: { available: 9, onHand: null } } });
    expect(anon.errors).toEqual([expect.objectContaining({ path: ['stockChanged', 'stock', 'onHand'], extensions: { code: 'UNAUTHENTICATED' } })]);
    const mine = await signedIn.next();
    expect(mine.data).toEqual({ stockChanged: { id: productId, stock: { available: 9, onHand: null } } });
    expect(mine.errors).toEqual([expect.objectContaining({ path: ['stockChanged', 'stock', 'onHand'], extensions: { code: 'FORBIDDEN' } })]);
    await Promise.all([...admins, anonymous, signedIn].map((s) => s.stop()));
  });

  it("never shows an owner another owner's order, on the same document and variables", async () => {
    const productId = await productWithStock(stack, admin, 1200, 10);
    const [ada, bob] = [await registerUser(stack), await registerUser(stack)];
    const adaOrder = await placeOrder(ada, productId, 'ada');
    const bobOrder = await placeOrder(bob, productId, 'bob');
    const query = 'subscription($id: ID!) { orderUpdated(id: $id) { id customer { id } payment { status } } }';
    const adaOwn = subscribe(client(ada.token), query, { id: adaOrder });
    const bobOnAda = subscribe(client(bob.token), query, { id: adaOrder });
    const bobOwn = subscribe(client(bob.token), query, { id: bobOrder });
    expect((await adaOwn.next()).data).toEqual({ orderUpdated: expect.objectContaining({ id: adaOrder, customer: { id: ada.id } }) });
    const refused = await bobOnAda.next();
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await bobOwn.next()).data).toEqual({ orderUpdated: expect.objectContaining({ id: bobOrder, customer: { id: bob.id } }) });
    await Promise.all([adaOwn.stop(), bobOnAda.stop(), bobOwn.stop()]);
  });

  it('shares ordersUpdated between PARTNERs, and keeps what only the customer or an ADMIN may read per caller', async () => {
    const productId = await productWithStock(stack, admin, 800, 10);
    const partners = [await userWithRole(stack, 'PARTNER'), await userWithRole(stack, 'PARTNER')];
    const plain = 'subscription { ordersUpdated { id status } }';
    const paid = 'subscription { ordersUpdated { id status payment { status } } }';
    const partnerPlain = partners.map((p) => subscribe(client(p.token), plain));
    const partnerPaid = partners.map((p) => subscribe(client(p.token), paid));
    const adminPaid = subscribe(client(admin.token), paid);
    // plain: one PARTNER stream; paid: one stream per user (the payment depends on who asks).
    await eventually(() => gateway().operations === 5 && upstreamAt('orders') === 4, 'partner streams live');
    expect(gateway().sharedStreams).toBe(4);

    const customer = await registerUser(stack);
    const orderId = await placeOrder(customer, productId, 'partner');
    for (const sub of partnerPlain) expect((await nextAbout(sub, orderId, 'CONFIRMED')).data).toEqual({ ordersUpdated: { id: orderId, status: 'CONFIRMED' } });
    for (const sub of partnerPaid) {
      const result = await nextAbout(sub, orderId, 'CONFIRMED');
      expect(result.data).toEqual({ ordersUpdated: { id: orderId, status: 'CONFIRMED', payment: null } });
      expect(result.errors).toEqual([expect.objectContaining({ path: ['ordersUpdated', 'payment'], extensions: { code: 'FORBIDDEN' } })]);
    }
    const seenByAdmin = await nextAbout(adminPaid, orderId, 'CONFIRMED');
    expect(seenByAdmin).toEqual({ data: { ordersUpdated: { id: orderId, status: 'CONFIRMED', payment: { status: 'AUTHORIZED' } } } });
    await Promise.all([...partnerPlain, ...partnerPaid, adminPaid].map((s) => s.stop()));
  });

  it('refuses a role stream to a caller without the role, and serves the next one that has it', async () => {
    const customer = await registerUser(stack);
    const refused = await subscribe(client(customer.token), 'subscription { ordersUpdated { id } }').next();
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const partner = await userWithRole(stack, 'PARTNER');
    const allowed = subscribe(client(partner.token), 'subscription { ordersUpdated { id } }');
    await eventually(() => upstreamAt('orders') === 1, 'the partner stream live');
    await allowed.stop();
  });
});
