import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { SubgraphName } from '@shop/platform';
import { Tally } from '../stats';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
/** How docker/entrypoint.sh runs the shop's built processes. */
const RUN_BUILT = ['--conditions=shop-dist', '--enable-source-maps'];

/**
 * What runs a script: a process of the shop (`subgraphs/<name>/src/…` or
 * `gateway/src/…`) runs its build in `dist/`, as the image runs it; the
 * benchmark's own helpers run their TypeScript through tsx.
 */
function commandFor(script: string): { command: string; args: string[] } {
  const built = /^(subgraphs\/[^/]+|gateway)\/src\/(.+)\.ts$/.exec(script);
  return built
    ? { command: process.execPath, args: [...RUN_BUILT, `${built[1]}/dist/${built[2]}.js`] }
    : { command: TSX, args: [script] };
}

/** Compiles the shop (`npm run build`) so that its processes run what the image would hold. */
export function buildShop(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** One process of the shop, with what it logged at warn level and above. */
export interface ShopProcess {
  name: string;
  child: ChildProcess;
  /** Last lines of output, shown when the process dies before the shop is ready. */
  tail: string[];
  /** Warnings and errors it logged, by message. */
  problems: Tally;
  exited: Promise<number | null>;
}

export interface Shop {
  env: NodeJS.ProcessEnv;
  gatewayUrl: string;
  processes: ShopProcess[];
  /** Waits for the gateway's /ready (every subgraph answering); fails early when a process dies. */
  ready(ms?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s (60 s when profiling); returns how processes that did not exit cleanly ended. */
  stop(): Promise<string[]>;
  /** Tells the reaper (bench/checkout/reaper.ts) that the run cleaned up after itself. */
  cleanedUp(): void;
}

export function launch(name: string, script: string, env: NodeJS.ProcessEnv, cpuProfDir?: string, args: string[] = []): ShopProcess {
  // A folder per process: worker threads (tsx's loader thread, for a helper) write profiles of their own.
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(cpuProfDir, name)}`] : [];
  const { command, args: scriptArgs } = commandFor(script);
  // Own process group: tsx runs a helper in a child node, and a stuck one must be killable as a whole.
  const child = spawn(command, [...profile, ...scriptArgs, ...args], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc: ShopProcess = {
    name, child, tail: [], problems: new Tally(),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  let partial = '';
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      proc.tail.push(line);
      if (proc.tail.length > 40) proc.tail.shift();
      let message = line;
      try {
        const json = JSON.parse(line);
        message = [json.consumer, json.msg, json.err?.message].filter(Boolean).join(': ');
      } catch { /* not pino: count the raw line */ }
      // Ids differ on every line: without them, repeats of one problem count together.
      const general = message.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>').replace(/\s+/g, ' ');
      // Database errors put the SQL first and the reason last: keep both ends.
      proc.problems.add(general.length > 240 ? `${general.slice(0, 120)} ... ${general.slice(-110)}` : general);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return proc;
}

async function waitReady(url: string, processes: ShopProcess[], ms: number): Promise<void> {
  const until = Date.now() + ms;
  let died: ShopProcess | undefined;
  for (const p of processes) void p.exited.then(() => { died ??= p; });
  let last = '';
  while (Date.now() < until) {
    if (died) throw new Error(`${died.name} exited before the shop was ready:\n  ${died.tail.slice(-10).join('\n  ')}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the gateway was not ready within ${ms / 1000} s (last answer: ${last})`);
}

/**
 * The node process tsx started for a helper (the process itself for a built
 * one, which has no children). tsx's CLI relays a SIGTERM
 * to it but kills it with SIGKILL when it has not acknowledged the signal
 * within 30 ms, which a busy process often cannot: signalling it directly
 * gives it the graceful stop production expects (and lets --cpu-prof write).
 */
function scriptPid(wrapperPid: number): number {
  // One small file rather than a scan of /proc: this runs while a signal may need a quick acknowledgement too.
  try {
    const first = readFileSync(`/proc/${wrapperPid}/task/${wrapperPid}/children`, 'utf8').trim().split(/\s+/)[0];
    if (first) return Number(first);
  } catch { /* no such file (old kernel, not Linux): signal tsx itself */ }
  return wrapperPid;
}

/** Stops one process; says how, when it was not a clean exit on SIGTERM (a shutdown problem worth knowing of). */
async function stopProcess(p: ShopProcess, graceMs: number): Promise<string | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return `${p.name} had already exited (${p.child.exitCode ?? p.child.signalCode})`;
  try { process.kill(scriptPid(p.child.pid!), 'SIGTERM'); } catch { /* exited meanwhile */ }
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  const code = await Promise.race([p.exited, timer]);
  if (code === 'timeout') {
    try { process.kill(-p.child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    await p.exited;
    return `${p.name} did not stop within ${graceMs / 1000} s of SIGTERM: killed`;
  }
  return code === 0 ? null : `${p.name} exited with code ${code} on SIGTERM`;
}

/** Last resort on an abrupt exit: no stray shop processes outlive the benchmark. */
export function killAllNow(processes: ShopProcess[]): void {
  for (const p of processes) {
    try { process.kill(-p.child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  }
}

/**
 * Starts each subgraph and the gateway as separate processes, as production
 * runs them. Returns at once so that the caller can arrange the clean-up
 * before waiting for `ready()`.
 */
export function launchShop(names: SubgraphName[], env: NodeJS.ProcessEnv, cpuProfDir?: string): Shop {
  buildShop();
  const reaper = spawn(TSX, ['bench/checkout/reaper.ts'], { cwd: ROOT, env, detached: true, stdio: ['pipe', 'ignore', 'inherit'] });
  reaper.unref();
  reaper.stdin!.on('error', () => undefined);
  const processes = names.map((name) => launch(name, `subgraphs/${name}/src/main.ts`, env, cpuProfDir));
  processes.push(launch('gateway', 'gateway/src/main.ts', env, cpuProfDir));
  reaper.stdin!.write(processes.map((p) => `${p.child.pid}\n`).join(''));
  const gatewayUrl = `http://127.0.0.1:${env.GATEWAY_PORT}/graphql`;
  return {
    env,
    gatewayUrl,
    processes,
    async ready(ms = 180_000) {
      await waitReady(gatewayUrl.replace(/\/graphql$/, '/ready'), processes, ms);
      // Start-up noise (e.g. consumers created while the stream was new) is not part of the figures.
      for (const p of processes) p.problems = new Tally();
    },
    async stop() {
      // Twelve processes writing CPU profiles at once on two cores take far longer than a plain graceful stop.
      const graceMs = cpuProfDir ? 60_000 : 10_000;
      const problems = await Promise.all(processes.map((p) => stopProcess(p, graceMs)));
      return problems.filter((x): x is string => x !== null);
    },
    cleanedUp() { reaper.stdin!.end('done\n'); },
  };
}
