import { MikroORM } from '@mikro-orm/postgresql';
import { PlatformConfig } from '../config';
import { Logger } from '../logger';

export interface JobEnv { orm: MikroORM; config: PlatformConfig; log: Logger; eventsRecorded(): void }

/** Work a subgraph does on a timer (sweeps of expired reservations, stale claims...). Must be safe to run on every replica at once. */
export interface BackgroundJob {
  name: string;
  intervalMs(config: PlatformConfig): number;
  /** One pass; returns how many items it handled. */
  run(env: JobEnv): Promise<number>;
}

export interface RunningJobs {
  /** Runs every job once now (tests use this instead of waiting for the timer). */
  runAll(): Promise<number>;
  stop(): Promise<void>;
}

/** Runs each job on its interval, one pass at a time, logging (never throwing) failures. */
export function startJobs(jobs: BackgroundJob[], env: JobEnv): RunningJobs {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  const pass = (job: BackgroundJob): Promise<number> => {
    const p = job.run(env).catch((e) => { env.log.error({ err: e, job: job.name }, 'background job failed'); return 0; });
    running.add(p);
    return p.finally(() => running.delete(p));
  };
  for (const job of jobs) {
    let busy = false;
    timers.push(setInterval(() => {
      if (busy) return;
      busy = true;
      void pass(job).finally(() => { busy = false; });
    }, job.intervalMs(env.config)));
  }
  return {
    async runAll() {
      let total = 0;
      for (const job of jobs) total += await pass(job);
      return total;
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running]);
    },
  };
}
