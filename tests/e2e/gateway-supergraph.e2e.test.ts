import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { PlatformConfig, loadConfig, mergeConfig } from '@shop/platform';
import { RunningGateway, startGateway } from '@shop/gateway';
import { routeFor } from '../../gateway/src/supergraph';
import { GREETINGS_V2, TinySubgraph, composeTiny, startTiny } from '../fixtures/tiny/tiny';
import { gql } from '../support/graphql-client';
import { eventually } from '../support/eventually';

/**
 * The gateway as a product: it serves a supergraph file that is not the
 * shop's (two tiny subgraphs composed here), routes by the URLs written in
 * it, and follows changes of the file without a restart.
 */
let dir: string;
let file: string;
let greetings: TinySubgraph;
let people: TinySubgraph;
let gateway: RunningGateway;
const logged: { msg: string; level: number }[] = [];
let origin: string;

const ask = (query: string) => gql(gateway.url, query);
const ready = async () => (await fetch(`${origin}/ready`)).json();

beforeAll(async () => {
  greetings = await startTiny('greetings');
  people = await startTiny('people');
  dir = mkdtempSync(join(tmpdir(), 'supergraph-'));
  file = join(dir, 'supergraph.graphql');
  writeFileSync(file, composeTiny([greetings, people]));
  const config: PlatformConfig = mergeConfig(loadConfig({ ...process.env, NODE_ENV: 'test', SUPERGRAPH_PATH: file, SUPERGRAPH_POLL_MS: '50' }), {});
  const log = pino({ level: 'info' }, { write: (line: string) => { logged.push(JSON.parse(line)); } });
  gateway = await startGateway(config, { port: 0, host: '127.0.0.1', log });
  origin = new URL(gateway.url).origin;
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.allSettled([greetings?.stop(), people?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('a supergraph file of its own', () => {
  it('serves SUPERGRAPH_PATH, reaching each subgraph at the URL composed into it', async () => {
    const res = await ask('{ greeting { text author } person }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ greeting: { text: 'hello', author: 'author of g1' }, person: 'ada' });
    expect(await ready()).toEqual({ status: 'ready', subgraphs: ['greetings', 'people'] });
  });

  it('lets <NAME>_URL override the URL of the supergraph', () => {
    const config = loadConfig({ NODE_ENV: 'test', CATALOG_URL: 'http://catalog:4002/graphql' });
    expect(routeFor(config, 'catalog', 'http://127.0.0.1:4002/graphql')).toBe('http://catalog:4002/graphql');
    expect(routeFor(config, 'cart', 'http://cart.shop.svc:4004/graphql')).toBe('http://cart.shop.svc:4004/graphql');
    expect(routeFor(config, 'elsewhere', 'http://10.0.0.7/graphql')).toBe('http://10.0.0.7/graphql');
  });
});

describe('reloading a changed file', () => {
  it('refuses a file that does not parse or is no supergraph, logs why, and keeps serving the current schema', async () => {
    for (const bad of ['schema { query: Query', 'type Query { x: Int }']) {
      const before = logged.length;
      writeFileSync(file, bad);
      await eventually(() => logged.slice(before).some((l) => l.msg === 'supergraph file refused; keeping the current schema'), 'refusal logged');
      const res = await ask('{ greeting { text author } }');
      expect(res.errors).toBeUndefined();
      expect(res.data.greeting.author).toBe('author of g1');
    }
  });

  it('swaps in a new supergraph without a restart; a request already running finishes on the old one', async () => {
    const inFlight = ask('{ slow(ms: 1500) }');
    await new Promise((r) => setTimeout(r, 200));
    // greetings' next release, and people gone from the supergraph.
    writeFileSync(file, composeTiny([{ ...greetings, typeDefs: GREETINGS_V2 }]));
    await eventually(async () => (await ask('{ farewell }')).data?.farewell === 'goodbye', 'new field served');
    const old = await inFlight;
    expect(old.errors).toBeUndefined();
    expect(old.data).toEqual({ slow: 'slept 1500' });
    const removed = await ask('{ slow(ms: 1) }');
    expect(removed.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await ask('{ greeting { author } }')).errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(logged.some((l) => l.msg === 'supergraph reloaded')).toBe(true);
  });

  it('probes for readiness the subgraphs of the schema it serves now', async () => {
    expect(await ready()).toEqual({ status: 'ready', subgraphs: ['greetings'] });
    await people.stop(); // no longer part of the supergraph: readiness does not depend on it
    expect(await ready()).toEqual({ status: 'ready', subgraphs: ['greetings'] });
    greetings.behaviour = 'unavailable';
    const res = await fetch(`${origin}/ready`);
    expect(res.status).toBe(503);
    expect(Object.keys((await res.json()).subgraphs)).toEqual(['greetings']);
    greetings.behaviour = 'ok';
  });
});
