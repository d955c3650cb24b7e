import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * Profiles this process with V8 when BENCH_CPU_PROFILE names a file, written
 * when `stop()` is called. `node --cpu-prof` writes nothing when a handler
 * ends the process on SIGTERM, which is how the scenario stops a gateway.
 */
export async function startProfiling(suffix = ''): Promise<() => Promise<void>> {
  const file = process.env.BENCH_CPU_PROFILE ? `${process.env.BENCH_CPU_PROFILE}${suffix}` : undefined;
  if (!file) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
  };
}
