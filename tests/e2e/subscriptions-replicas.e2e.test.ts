import { Client } from 'graphql-ws';
import { RunningGateway, startGateway } from '@shop/gateway';
import { RunningSubgraph, createLogger, startSubgraph } from '@shop/platform';
import { FixtureStack, composeFixtures, startFixtureStack } from '../fixtures/subscriptions/stack';
import { fxSource } from '../fixtures/subscriptions/source/definition';
import { eventually, subscribe, wsClient } from '../support/ws-client';

/**
 * Events come from NATS subjects, not from one process's memory: every
 * gateway replica, and every subgraph replica behind them, delivers each event.
 */
let stack: FixtureStack;
const clients: Client[] = [];
const QUERY = `subscription { itemChanged(ids: ["r1"]) { id available name } }`;
const EXPECTED = { data: { itemChanged: { id: 'r1', available: 4, name: 'Item r1' } } };

function client(url: string, token?: string): Client {
  const c = wsClient(url, token);
  clients.push(c);
  return c;
}

beforeAll(async () => { stack = await startFixtureStack(2); });
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

describe('subscriptions across replicas', () => {
  it('delivers each event to the clients of both gateways, each gateway on one upstream connection', async () => {
    const [a, b] = stack.gateways;
    const token = await stack.token();
    const subs = [a, a, a, b, b, b].map((g, i) => subscribe(client(g.url, i % 2 ? token : undefined), QUERY));
    await stack.whenSubscribed(6);
    expect(stack.source.subscriptions!.stats().sockets).toBe(2);
    await stack.publishStock('r1', 4);
    for (const sub of subs) expect(await sub.next()).toEqual(EXPECTED);
    await Promise.all(subs.map((s) => s.stop()));
  });

  it('delivers through a gateway in front of another fx_source replica', async () => {
    const log = createLogger('test', stack.config.logLevel);
    let replica: RunningSubgraph | null = null;
    let gateway: RunningGateway | null = null;
    try {
      replica = await startSubgraph(fxSource, stack.config, { port: 0, host: '127.0.0.1', log });
      gateway = await startGateway(stack.config, { port: 0, host: '127.0.0.1', log, supergraphSdl: composeFixtures(replica.url, stack.extra.url) });
      const viaFirst = subscribe(client(stack.gateways[0].url), QUERY);
      const viaReplica = subscribe(client(gateway.url), QUERY);
      await stack.whenSubscribed(1);
      await eventually(() => replica!.subscriptions!.stats().operations === 1, 'the replica to run the subscription');
      await replica.nats!.flush();
      await stack.publishStock('r1', 4);
      expect(await viaFirst.next()).toEqual(EXPECTED);
      expect(await viaReplica.next()).toEqual(EXPECTED);
      await Promise.all([viaFirst.stop(), viaReplica.stop()]);
    } finally {
      await gateway?.stop();
      await replica?.stop();
    }
  });
});
