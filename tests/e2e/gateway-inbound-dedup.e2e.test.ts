import http from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { mergeConfig } from '@shop/platform';
import { inboundDedup } from '../../gateway/src/execution/inbound-dedup';
import { Stack, startStack, testConfig } from '../support/stack';
import { registerUser } from '../support/users';

/** An endpoint behind the dedup middleware that counts executions and answers after a delay long enough for concurrent requests to overlap on a loaded machine. */
async function countingEndpoint(): Promise<{ url: string; executions: () => number; close(): Promise<void> }> {
  let executions = 0;
  const app = express();
  app.use(express.json(), inboundDedup(), (req, res) => {
    executions += 1;
    const n = executions;
    setTimeout(() => res.json({ data: { n, caller: req.headers.authorization ?? null } }), 500);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    executions: () => executions,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function post(url: string, body: object, authorization?: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
  return res.json();
}

describe('inbound dedup of identical in-flight queries', () => {
  let endpoint: Awaited<ReturnType<typeof countingEndpoint>>;
  beforeAll(async () => { endpoint = await countingEndpoint(); });
  afterAll(() => endpoint.close());

  it('executes identical concurrent queries of one caller once and answers each the same', async () => {
    const before = endpoint.executions();
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(endpoint.url, { query: '{ a }' }, 'Bearer one')));
    expect(endpoint.executions() - before).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0].data.caller).toBe('Bearer one');
  });

  it('never shares an execution between callers, variables or operations', async () => {
    const before = endpoint.executions();
    const answers = await Promise.all([
      post(endpoint.url, { query: '{ a }' }, 'Bearer one'),
      post(endpoint.url, { query: '{ a }' }, 'Bearer two'),
      post(endpoint.url, { query: '{ a }' }),
      post(endpoint.url, { query: 'query($x: Int) { a(x: $x) }', variables: { x: 1 } }, 'Bearer one'),
      post(endpoint.url, { query: 'query($x: Int) { a(x: $x) }', variables: { x: 2 } }, 'Bearer one'),
    ]);
    expect(endpoint.executions() - before).toBe(5);
    expect(answers.map((a) => a.data.caller)).toEqual(['Bearer one', 'Bearer two', null, 'Bearer one', 'Bearer one']);
  });

  it('always executes mutations, and a later identical query once the first has answered', async () => {
    const before = endpoint.executions();
    await Promise.all(Array.from({ length: 3 }, () => post(endpoint.url, { query: 'mutation { m }' }, 'Bearer one')));
    expect(endpoint.executions() - before).toBe(3);
    await post(endpoint.url, { query: '{ b }' }, 'Bearer one');
    await post(endpoint.url, { query: '{ b }' }, 'Bearer one');
    expect(endpoint.executions() - before).toBe(5);
  });
});

describe('gateway with inbound dedup on', () => {
  let stack: Stack;
  beforeAll(async () => {
    const base = testConfig();
    stack = await startStack(['accounts'], mergeConfig(base, { gateway: { inboundDedup: true } }));
  }, 120_000);
  afterAll(() => stack?.stop());

  it('answers each caller its own data when they send the same query at the same time', async () => {
    const alice = await registerUser(stack, 'Alice');
    const bob = await registerUser(stack, 'Bob');
    const ME = '{ me { id email } }';
    const answers = await Promise.all([alice, bob, alice, bob, null].map((user) => stack.gql(ME, {}, user?.token ?? null)));
    expect(answers.map((a) => a.data?.me?.email ?? null)).toEqual([alice.email, bob.email, alice.email, bob.email, null]);
  });
});
