import http from 'node:http';
import { AddressInfo } from 'node:net';
import { callSubgraph, mergeConfig } from '@shop/platform';
import { testConfig } from '../support/stack';

// Calls from one subgraph to another (orders reading carts at checkout) run many at once under load.
let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume().on('end', () => setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { checkoutCart: { id: 'c1' } } }));
    }, 50));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });

describe('subgraph calls', () => {
  it('answer 50 calls at once, each with a time limit of its own: no abort signal gathers their listeners', async () => {
    const config = mergeConfig(testConfig(), { subgraphUrls: { cart: url } });
    // Node warns of a leak past 10 listeners on one signal: count the abort listeners each signal holds at once.
    const held = new Map<EventTarget, number>();
    let most = 0;
    const add = jest.spyOn(AbortSignal.prototype, 'addEventListener').mockImplementation(function (this: AbortSignal, ...args) {
      if (args[0] === 'abort') { held.set(this, (held.get(this) ?? 0) + 1); most = Math.max(most, held.get(this)!); }
      return EventTarget.prototype.addEventListener.apply(this, args);
    });
    const remove = jest.spyOn(AbortSignal.prototype, 'removeEventListener').mockImplementation(function (this: AbortSignal, ...args) {
      if (args[0] === 'abort') held.set(this, (held.get(this) ?? 1) - 1);
      return EventTarget.prototype.removeEventListener.apply(this, args);
    });
    try {
      const answers = await Promise.all(Array.from({ length: 50 }, () =>
        callSubgraph<{ checkoutCart: { id: string } }>(config, 'cart', '{ checkoutCart(id: "c1") { id } }', {})));
      expect(answers).toEqual(Array.from({ length: 50 }, () => ({ checkoutCart: { id: 'c1' } })));
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(10);
    } finally {
      add.mockRestore();
      remove.mockRestore();
    }
  });
});
