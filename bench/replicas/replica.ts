import { ShopProcess, launch } from '../checkout/processes';
import { ReplicaCounters, addCounters, noCounters, readCounters } from './replica-metrics';

/**
 * One replica of the replicated subgraph: a process on a port of its own
 * behind the balancer, possibly killed and started again during the run.
 * Its counters are kept per process (a restarted one counts from zero).
 */
export class Replica {
  private runs: { proc: ShopProcess; baseline: ReplicaCounters; last: ReplicaCounters }[] = [];

  constructor(readonly label: string, readonly port: number, private readonly subgraph: string, private readonly env: NodeJS.ProcessEnv) {}

  start(): ShopProcess {
    const proc = launch(this.label, `subgraphs/${this.subgraph}/src/main.ts`, {
      ...this.env, [`${this.subgraph.toUpperCase()}_PORT`]: String(this.port),
    });
    this.runs.push({ proc, baseline: noCounters(), last: noCounters() });
    return proc;
  }

  get current(): ShopProcess { return this.runs[this.runs.length - 1]!.proc; }

  get restarts(): number { return this.runs.length - 1; }

  async waitReady(ms = 120_000): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const res = await fetch(`http://127.0.0.1:${this.port}/ready`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
      if (res?.ok) return;
      if (this.current.child.exitCode !== null) throw new Error(`${this.label} exited:\n  ${this.current.tail.slice(-10).join('\n  ')}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${this.label} was not ready within ${ms / 1000} s`);
  }

  /** Counting starts now for the running process. */
  async resetBaseline(): Promise<void> {
    const run = this.runs[this.runs.length - 1]!;
    run.baseline = (await readCounters(this.port)) ?? noCounters();
    run.last = run.baseline;
  }

  async sample(): Promise<void> {
    const now = await readCounters(this.port);
    if (now) this.runs[this.runs.length - 1]!.last = now;
  }

  /** SIGKILL, as a crashed pod or an OOM kill: no graceful stop, nothing flushed. */
  async kill(): Promise<void> {
    const proc = this.current;
    try { process.kill(-proc.child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    await proc.exited;
  }

  /** What the replica did since counting started, over all its processes. */
  total(): ReplicaCounters {
    return this.runs.reduce((sum, run) => addCounters(sum, addCounters(run.last, run.baseline, -1)), noCounters());
  }

  processes(): ShopProcess[] { return this.runs.map((r) => r.proc); }
}
