import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TinySubgraph, composeTiny, startTiny } from '../fixtures/tiny/tiny';
import { eventually } from '../support/eventually';

/**
 * A rolling update of the gateway loses nothing: a real gateway process
 * (production, no signing key), under a steady load of requests (some
 * slow), gets SIGTERM. Readiness goes false first; the load, like a load
 * balancer, stops sending once it sees that, and every request sent
 * until then succeeds. A straggler within the drain delay is still
 * served; then the process finishes what is in flight and exits 0.
 */
jest.setTimeout(60_000);

const DELAY_MS = 3000;
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
  // Production: the gateway holds no signing key, only the secret it sends to subgraphs.
  const env = { ...process.env, NODE_ENV: 'production', SUBGRAPH_SHARED_SECRET: 'shutdown-test-shared-secret-0123456789', SUPERGRAPH_PATH: file, GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1',
    SHUTDOWN_DELAY_MS: String(DELAY_MS), LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv;
  delete env.JWT_PRIVATE_KEYS;
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
  it('answers every request sent while it was in rotation, and keeps serving through the drain delay', async () => {
    // Warm: the first requests of a process plan their queries.
    for (let i = 0; i < 5; i++) for (const q of ['{ slow(ms: 1) }', '{ greeting { text author } person }']) expect((await request(q)).ok).toBe(true);
    const outcomes: Outcome[] = [];
    // The load balancer: it sends to this replica while the replica's /ready says so (polled, as Kubernetes does).
    let inRotation = true;
    let notReadyAt = 0;
    let signalledAt = Infinity;
    // A balancer notices a failed probe a little after it happens (Kubernetes: the probe period): at least 200 ms here.
    const NOTICED_AFTER_MS = 200;
    const poller = (async () => {
      while (inRotation) {
        const res = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => null);
        if ((!res || res.status === 503) && Date.now() - signalledAt >= NOTICED_AFTER_MS) { notReadyAt = Date.now(); inRotation = false; }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    // Eight clients in a loop, one request in four slow (300 ms in the subgraph).
    const clients = Array.from({ length: 8 }, async (_, c) => {
      for (let i = 0; inRotation; i++) outcomes.push(await request((i + c) % 4 === 0 ? '{ slow(ms: 300) }' : '{ greeting { text author } person }'));
    });
    await eventually(() => outcomes.filter((o) => o.ok).length >= 20, 'steady load', 20_000, 20);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    signalledAt = Date.now();
    child.kill('SIGTERM');
    await poller;
    // Out of rotation but still within the drain delay: a straggler (a balancer slow to notice) is still served.
    const straggler = await request('{ slow(ms: 200) }');
    await Promise.all(clients);
    const code = await exited;
    const afterExit = await request('{ person }');

    expect(code).toBe(0);
    expect(notReadyAt - signalledAt).toBeLessThan(DELAY_MS);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes.filter((o) => o.startedAt >= signalledAt).length).toBeGreaterThan(0); // load went on after the signal
    expect(straggler).toMatchObject({ ok: true });
    expect(straggler.startedAt).toBeGreaterThan(notReadyAt);
    expect(afterExit).toMatchObject({ ok: false, refused: true });
  });
});
