import { Client } from 'graphql-ws';
import { activeLiveEvents } from '@shop/platform';
import { FixtureStack, startFixtureStack } from '../fixtures/subscriptions/stack';
import { slowNoteGate } from '../fixtures/subscriptions/extra/definition';
import { eventually, subscribe, wsClient } from '../support/ws-client';

/**
 * Unsubscribing and disconnecting release everything upstream: the
 * subgraph operation, its NATS subscription, the gateway's upstream
 * operation and any entity fetch in flight. Counts, not timings.
 */
let stack: FixtureStack;
const clients: Client[] = [];
const QUERY = `subscription($ids: [ID!]) { itemChanged(ids: $ids) { id name available } }`;

const gateway = () => stack.gateways[0].subscriptions.stats();
const source = () => stack.source.subscriptions!.stats();

function client(): Client {
  const c = wsClient(stack.gateways[0].url);
  clients.push(c);
  return c;
}

/** Every counter of running work, on both sides. */
function running() {
  const { operations, upstreamOperations, pendingFetches } = gateway();
  return { operations, upstreamOperations, pendingFetches, subgraphOperations: source().operations, liveEvents: activeLiveEvents() };
}
const NONE = { operations: 0, upstreamOperations: 0, pendingFetches: 0, subgraphOperations: 0, liveEvents: 0 };
const released = () => Object.values(running()).every((n) => n === 0);

beforeAll(async () => { stack = await startFixtureStack(); });
afterAll(async () => {
  slowNoteGate.release();
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

describe('subscription resource hygiene', () => {
  it('returns to zero upstream operations after 1,000 established subscribe/unsubscribe cycles', async () => {
    const c = client();
    const batch = 50;
    for (let done = 0; done < 1000; done += batch) {
      const subs = Array.from({ length: batch }, (_, i) => subscribe(c, QUERY, { ids: [`c${done + i}`] }));
      // Each one reached the subgraph (a NATS subscription exists) before it is cancelled.
      await eventually(() => source().operations === batch && gateway().upstreamOperations === batch, `batch at ${done} established`);
      expect(source().sockets).toBe(1); // 50 operations, one multiplexed upstream connection
      await Promise.all(subs.map((s) => s.stop()));
    }
    await eventually(released, 'every operation released');
    expect(running()).toEqual(NONE);
  });

  it('releases subscriptions cancelled while they are being set up upstream', async () => {
    const c = client();
    // Holds the socket open, so each subscribe reaches the gateway at once and its cancel follows it in flight.
    const anchor = subscribe(c, QUERY, { ids: ['anchor'] });
    await stack.whenSubscribed(1);
    for (let i = 0; i < 200; i++) {
      const sub = subscribe(c, QUERY, { ids: [`r${i}`] });
      for (let tick = 0; tick < i % 5; tick++) await new Promise(setImmediate); // cancel at varying stages
      await sub.stop();
    }
    await anchor.stop();
    await eventually(released, 'cancelled operations released');
    expect(running()).toEqual(NONE);
  });

  it('releases the subscriptions of clients that disconnect without unsubscribing', async () => {
    // The earlier tests' clients close their sockets once they are idle (graphql-ws is lazy), at their own pace: a socket
    // still closing would otherwise be counted in the baseline and missing from the count the test waits for.
    await eventually(() => gateway().sockets === 0, "the earlier tests' idle sockets closed");
    const gone = Array.from({ length: 10 }, () => wsClient(stack.gateways[0].url));
    for (const c of gone) for (let i = 0; i < 5; i++) subscribe(c, QUERY, { ids: [`g${i}`] });
    await eventually(() => source().operations === 50, 'all 50 established');
    await Promise.all(gone.map((c) => c.dispose()));
    await eventually(released, 'disconnected clients released');
    expect(running()).toEqual(NONE);
    await eventually(() => gateway().sockets === 0, 'their sockets closed at the gateway');
  });

  it('aborts an entity fetch still in flight when the client unsubscribes', async () => {
    const sub = subscribe(client(), `subscription { itemChanged(ids: ["s1"]) { id slowNote } }`);
    await stack.whenSubscribed(1);
    await stack.publishStock('s1', 1);
    await eventually(() => gateway().pendingFetches === 1, 'the slow entity fetch to start');
    await sub.stop();
    // fx_extra still holds the request (the gate is closed), yet nothing is pending at the gateway.
    await eventually(released, 'the fetch aborted and the operation released');
    expect(running()).toEqual(NONE);
  });
});
