import { Client } from 'graphql-ws';
import { FixtureStack, startFixtureStack } from '../fixtures/subscriptions/stack';
import { eventually, subscribe, wsClient } from '../support/ws-client';
import { mintWithTimes } from '../support/tokens';

/** Federated subscriptions through the gateway: the root from fx_source, fields from fx_extra (and back). */
let stack: FixtureStack;
let gatewayUrl: string;
const clients: Client[] = [];

function client(token?: string | null, url = gatewayUrl): Client {
  const c = wsClient(url, token);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  stack = await startFixtureStack();
  gatewayUrl = stack.gateways[0].url;
});
// Every test leaves nothing running upstream, and starts counting subscriptions from zero.
afterEach(async () => {
  await eventually(() => stack.source.subscriptions!.stats().operations === 0, 'fx_source subscriptions to end');
  await eventually(() => stack.gateways[0].subscriptions.stats().upstreamOperations === 0, 'gateway upstream operations to end');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

describe('subscriptions through the gateway', () => {
  it('delivers a selection spanning both subgraphs, with aliases and lists, filtered by argument', async () => {
    const sub = subscribe(client(), `subscription($ids: [ID!]) {
      change: itemChanged(ids: $ids) {
        id stock: available label: name cost: price { cents: amount currency }
        related { code: sku name }
      }
    }`, { ids: ['w1'] });
    await stack.whenSubscribed(1);
    await stack.publishStock('other', 1);
    await stack.publishStock('w1', 7);
    expect(await sub.next()).toEqual({
      data: {
        change: {
          id: 'w1', stock: 7, label: 'Item w1', cost: { cents: 200, currency: 'EUR' },
          related: [{ code: 'SKU-w1-a', name: 'Item w1-a' }, { code: 'SKU-w1-b', name: 'Item w1-b' }],
        },
      },
    });
    await sub.stop();
  });

  it('resolves every event with a unit of work of its own', async () => {
    const sub = subscribe(client(), `subscription { itemChanged(ids: ["u1"]) { available unitOfWork } }`);
    await stack.whenSubscribed(1);
    await stack.publishStock('u1', 1);
    await stack.publishStock('u1', 2);
    const first = (await sub.next()).data!.itemChanged as any;
    const second = (await sub.next()).data!.itemChanged as any;
    expect([first.available, second.available]).toEqual([1, 2]);
    expect(first.unitOfWork).not.toEqual(second.unitOfWork);
    await sub.stop();
  });

  it('authorizes each caller on its own over the shared upstream connection', async () => {
    const token = await stack.token('user-42');
    const query = `subscription { itemChanged(ids: ["a1"]) { id ownerNote } }`;
    const anonymous = subscribe(client(), query);
    const signedIn = subscribe(client(token), query);
    await stack.whenSubscribed(2);
    expect(stack.source.subscriptions!.stats().sockets).toBe(1);
    await stack.publishStock('a1', 3);
    const anon = await anonymous.next();
    expect(anon.data).toEqual({ itemChanged: { id: 'a1', ownerNote: null } });
    expect(anon.errors).toEqual([expect.objectContaining({ path: ['itemChanged', 'ownerNote'], extensions: { code: 'UNAUTHENTICATED' } })]);
    expect(await signedIn.next()).toEqual({ data: { itemChanged: { id: 'a1', ownerNote: 'a1 noted for user-42' } } });
    await Promise.all([anonymous.stop(), signedIn.stop()]);
  });

  it('refuses a protected subscription without a valid token, saying why, and serves it with one', async () => {
    const query = `subscription { myItemChanged(ids: ["m1"]) { id name } }`;
    const anonymous = subscribe(client(), query);
    const refused = await anonymous.next();
    expect(refused.errors).toEqual([expect.objectContaining({ message: 'Sign in to do this', extensions: { code: 'UNAUTHENTICATED' } })]);
    expect(await anonymous.completed()).toBe(true);

    const now = Math.floor(Date.now() / 1000);
    const expired = await mintWithTimes(stack.config, { userId: 'u', role: 'CUSTOMER' }, { issuedAt: now - 120, expiresAt: now - 60 });
    const stale = (await subscribe(client(expired), query).next()).errors;
    expect(stale).toEqual([expect.objectContaining({ message: 'Access token expired: refresh the session', extensions: { code: 'UNAUTHENTICATED' } })]);

    const allowed = subscribe(client(await stack.token()), query);
    await stack.whenSubscribed(1);
    await stack.publishStock('m1', 5);
    expect(await allowed.next()).toEqual({ data: { myItemChanged: { id: 'm1', name: 'Item m1' } } });
    await allowed.stop();
  });

  it('answers bad documents with GraphQL errors and keeps the connection serving', async () => {
    const c = client();
    const errorsOf = async (query: string, variables?: Record<string, unknown>) => {
      try {
        await subscribe(c, query, variables).next();
        return 'no error';
      } catch (errors) {
        return (errors as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code);
      }
    };
    expect(await errorsOf('subscription { itemChanged(ids: ["x"]) { id ')).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(await errorsOf('subscription { itemChanged { nope } }')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await errorsOf('subscription($ids: [ID!]) { itemChanged(ids: $ids) { id } }', { ids: [{}] })).toEqual(['BAD_USER_INPUT']);
    expect(await errorsOf('subscription A { itemChanged { id } } subscription B { itemChanged { id } }')).toEqual(['BAD_REQUEST']);
    expect(await errorsOf('mutation { item(id: "x") { id } }')).toEqual(['GRAPHQL_VALIDATION_FAILED']); // no Mutation type

    const sub = subscribe(c, `subscription { itemChanged(ids: ["b1"]) { id name } }`);
    await stack.whenSubscribed(1);
    await stack.publishStock('b1', 1);
    expect(await sub.next()).toEqual({ data: { itemChanged: { id: 'b1', name: 'Item b1' } } });
    await sub.stop();
  });

  it('serves queries over the same socket through the gateway', async () => {
    const result = await subscribe(client(), `{ item(id: "q1") { sku label: name } }`).next();
    expect(result).toEqual({ data: { item: { sku: 'SKU-q1', label: 'Item q1' } } });
  });

  it('lets a client subscribe to the subgraph directly with connectionParams', async () => {
    const query = `subscription { myItemChanged(ids: ["d1"]) { id available } }`;
    const refused = await subscribe(client(null, stack.source.url), query).next();
    expect(refused.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    const direct = subscribe(client(await stack.token(), stack.source.url), query);
    await stack.whenSubscribed(1);
    await stack.publishStock('d1', 9);
    expect(await direct.next()).toEqual({ data: { myItemChanged: { id: 'd1', available: 9 } } });
    await direct.stop();
  });
});
