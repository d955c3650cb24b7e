import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TinySubgraph, composeTiny, startTiny } from '../fixtures/tiny/tiny';
import { eventually } from '../support/eventually';

/**
 * A rolling update of the gateway loses nothing: a real gateway process,
 * under a steady load of requests (some slow), gets SIGTERM. Readiness
 * goes false first while it keeps serving for the drain delay; then it
 * stops listening, finishes what is in flight and exits 0. Every request
 * sent before it stopped listening succeeds; after that, connections are
 * refused (a load balancer stopped sending once readiness went false).
 */
jest.setTimeout(60_000);

const DELAY_MS = 1500;
let greetings: TinySubgraph;
let people: TinySubgraph;
let dir: string;
let child: ChildProcess;
let port: number;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: p } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return p;
}

beforeAll(async () => {
  greetings = await startTiny('greetings');
  people = await startTiny('people');
  dir = mkdtempSync(join(tmpdir(), 'gateway-shutdown-'));
  const file = join(dir, 'supergraph.graphql');
  writeFileSync(file, composeTiny([greetings, people]));
  port = await freePort();
  const root = resolve(__dirname, '../..');
  // Production, and no JWT_SECRET: the gateway does not need one.
  const env = { ...process.env, NODE_ENV: 'production', SUPERGRAPH_PATH: file, GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1',
    SHUTDOWN_DELAY_MS: String(DELAY_MS), LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv;
  delete env.JWT_SECRET;
  child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/ready`)).ok, 'gateway process ready', 30_000, 100);
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await Promise.allSettled([greetings?.stop(), people?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome { startedAt: number; endedAt: number; ok: boolean; refused: boolean; error?: string }

async function request(query: string): Promise<Outcome> {
  const startedAt = Date.now();
  try {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }),
    });
    const body = await res.json();
    const ok = res.status === 200 && !body.errors;
    return { startedAt, endedAt: Date.now(), ok, refused: false, error: ok ? undefined : JSON.stringify(body) };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    return { startedAt, endedAt: Date.now(), ok: false, refused: cause?.code === 'ECONNREFUSED', error: String(cause?.code ?? e) };
  }
}

describe('SIGTERM under load', () => {
  it('answers every request it accepted, turning readiness off before it stops listening', async () => {
    const outcomes: Outcome[] = [];
    let running = true;
    // Eight clients in a loop, one in four requests slow (300 ms in the subgraph).
    const clients = Array.from({ length: 8 }, async (_, c) => {
      for (let i = 0; running; i++) {
        outcomes.push(await request((i + c) % 4 === 0 ? '{ slow(ms: 300) }' : '{ greeting { text author } person }'));
        if (outcomes[outcomes.length - 1].refused) await new Promise((r) => setTimeout(r, 20));
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const notReady = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      return res.status === 503 ? Date.now() : null;
    }, 'readiness off', 5000, 20);
    const code = await exited;
    const exitedAt = Date.now();
    await new Promise((r) => setTimeout(r, 200));
    running = false;
    await Promise.all(clients);

    expect(code).toBe(0);
    expect(notReady - signalledAt).toBeLessThan(DELAY_MS);
    const failed = outcomes.filter((o) => !o.ok && !o.refused);
    expect(failed).toEqual([]);
    // Served all through the drain delay, with readiness already off.
    expect(outcomes.filter((o) => o.ok && o.startedAt > notReady + 200).length).toBeGreaterThan(10);
    // Refused only once it stopped listening, after the delay.
    const refused = outcomes.filter((o) => o.refused);
    expect(refused.length).toBeGreaterThan(0);
    expect(Math.min(...refused.map((o) => o.startedAt))).toBeGreaterThanOrEqual(signalledAt + DELAY_MS);
    // Requests in flight when it stopped listening were finished before it exited.
    expect(outcomes.filter((o) => o.ok && o.endedAt > signalledAt + DELAY_MS && o.endedAt <= exitedAt + 50).length).toBeGreaterThan(0);
  });
});
