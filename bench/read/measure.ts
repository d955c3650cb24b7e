import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { ShopProcess, launch } from '../checkout/processes';
import { CpuUse, cpuBetween, cpuSnapshot } from '../checkout/cpu';
import { monotonicMicros } from '../checkout/cpu-profile';

export interface LoadFigures {
  seconds: number; ok: number; rps: number; p50: number; p975: number; p99: number; max: number;
  errors: Record<string, number>; bytesPerAnswer: number; clientCpuSeconds: number;
}

export interface Measured { label: string; figures: LoadFigures; cpu: CpuUse[]; windowUs: [number, number] }

export interface MeasureOptions { connections: number; warmup: number; seconds: number; dir: string; dbPrefix: string }

/**
 * Runs the load client (bench/read/load-client.ts) in a process of its own
 * against `url` and takes CPU by process over its measured window.
 */
export async function measure(label: string, url: string, body: string, processes: ShopProcess[], o: MeasureOptions, authorization?: string): Promise<Measured> {
  const bodyFile = path.join(o.dir, `${label.replace(/\W+/g, '-')}.json`);
  writeFileSync(bodyFile, body);
  const args = [url, String(o.connections), String(o.warmup), String(o.seconds), bodyFile, ...(authorization ? [authorization] : [])];
  const client = launch('load client', 'bench/read/load-client.ts', { ...process.env, NODE_ENV: 'production' }, undefined, args);
  const all = [...processes, client];
  let before = cpuSnapshot(all, o.dbPrefix);
  let startedUs = monotonicMicros();
  // The client says on stderr when its window starts: CPU is counted from there, not from the warm-up.
  const onWindow = (chunk: Buffer) => {
    if (!chunk.toString().includes('window')) return;
    before = cpuSnapshot(all, o.dbPrefix);
    startedUs = monotonicMicros();
  };
  client.child.stderr!.on('data', onWindow);
  let after = before;
  let endUs = startedUs;
  const windowEnd = new Promise<void>((resolve) => {
    client.child.stderr!.on('data', (c: Buffer) => {
      if (!c.toString().includes('window')) return;
      setTimeout(() => { after = cpuSnapshot(all, o.dbPrefix); endUs = monotonicMicros(); resolve(); }, o.seconds * 1000);
    });
  });
  const code = await client.exited;
  const line = client.tail.find((l) => l.startsWith('{"seconds"'));
  if (code !== 0 || !line) throw new Error(`the load client failed (${code}):\n  ${client.tail.slice(-10).join('\n  ')}`);
  await windowEnd;
  return { label, figures: JSON.parse(line), cpu: cpuBetween(before, after, o.seconds), windowUs: [startedUs, endUs] };
}
