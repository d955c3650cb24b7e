import { loadConfig, mergeConfig } from '@shop/platform';
import { RunningGateway, startGateway } from '@shop/gateway';
import { TinySubgraph, composeTiny, startTiny } from '../fixtures/tiny/tiny';
import { gql } from '../support/graphql-client';

/**
 * A subgraph that is slow, overloaded or gone costs only its own fields:
 * the gateway answers quickly with the other subgraph's data and a
 * SUBGRAPH_UNAVAILABLE error at each missing field, retries queries (never
 * mutations) on a 5xx, and says nothing about the subgraph's address.
 */
let greetings: TinySubgraph;
let people: TinySubgraph;
let gateway: RunningGateway;
const TIMEOUT_MS = 600;

const SPANNING = '{ greeting { text author } person }';
const PARTIAL = { greeting: { text: 'hello', author: null }, person: null };

async function ask(query: string) {
  const started = Date.now();
  const res = await gql(gateway.url, query);
  return { ...res, ms: Date.now() - started };
}

function expectPeopleUnavailable(res: { errors?: any[] }) {
  expect(res.errors?.map((e) => e.path).sort()).toEqual([['greeting', 'author'], ['person']]);
  for (const error of res.errors!) {
    expect(error.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE' });
    expect(error.message).toBe('The people service is unavailable, try again shortly');
    expect(JSON.stringify(error)).not.toMatch(/127\.0\.0\.1|stack|ECONN/);
  }
}

beforeAll(async () => {
  greetings = await startTiny('greetings');
  people = await startTiny('people');
  const config = mergeConfig(loadConfig({ ...process.env, NODE_ENV: 'test' }), {
    gateway: { subgraphTimeoutMs: TIMEOUT_MS, subgraphRetries: 2 },
  });
  gateway = await startGateway(config, { port: 0, host: '127.0.0.1', supergraphSdl: composeTiny([greetings, people]) });
});
afterEach(() => {
  for (const s of [greetings, people]) { s.behaviour = 'ok'; s.failNext = 0; }
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.allSettled([greetings?.stop(), people?.stop()]);
});

describe('a subgraph that does not answer', () => {
  it('costs a query spanning two subgraphs only its own fields, within the fetch time limit', async () => {
    people.behaviour = 'hang';
    const res = await ask(SPANNING);
    expect(res.status).toBe(200);
    expect(res.data).toEqual(PARTIAL);
    expectPeopleUnavailable(res);
    // Two fetches to people in sequence (root field, then the entity), each cut at the limit, never retried.
    expect(res.ms).toBeLessThan(2 * TIMEOUT_MS + 1000);
  });

  it('does the same, at once, when the subgraph answers 503', async () => {
    people.behaviour = 'unavailable';
    const hits = people.hits;
    const res = await ask(SPANNING);
    expect(res.data).toEqual(PARTIAL);
    expectPeopleUnavailable(res);
    expect(people.hits - hits).toBe(2 * 3); // each of the two queries tried three times (two retries)
  });
});

describe('retries', () => {
  it('retries a query that met a 5xx, and the client sees only the answer', async () => {
    people.failNext = 2;
    const res = await ask('{ person }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ person: 'ada' });
  });

  it('never sends a mutation twice', async () => {
    greetings.failNext = 1;
    const hits = greetings.hits;
    const res = await ask('mutation { bump }');
    expect(greetings.hits - hits).toBe(1);
    expect(res.errors?.[0].extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    const next = await ask('mutation { bump }');
    expect(next.data).toEqual({ bump: 1 });
  });
});

describe('a subgraph that is gone', () => {
  // Last: it stops people for good.
  it('answers at once with the other subgraph\'s data when connections are refused', async () => {
    await people.stop();
    const res = await ask(SPANNING);
    expect(res.data).toEqual(PARTIAL);
    expectPeopleUnavailable(res);
    expect(res.ms).toBeLessThan(1500);
  });
});
