import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { ShopProcess } from './processes';

/**
 * CPU time by part of the system over the load window, read from /proc, so
 * that a run says where the time went without a separate profiling session:
 * each shop process (its whole process group: tsx runs the code in a child
 * node), PostgreSQL backends by database, nats-server, and this benchmark
 * process itself (the load generator shares the machine's cores).
 */
export type CpuSnapshot = Map<string, { ticks: number; rssKb: number }>;

const MACHINE = 'machine';
let ticksPerSecond = 0;

function clockTicks(): number {
  if (!ticksPerSecond) {
    try { ticksPerSecond = Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100; } catch { ticksPerSecond = 100; }
  }
  return ticksPerSecond;
}

function labelOf(pid: string, comm: string, pgrp: number, groups: Map<number, string>, dbPrefix: string): string | null {
  const shop = groups.get(pgrp);
  if (shop) return shop;
  if (comm === 'nats-server') return 'nats-server';
  if (comm !== 'postgres') return null;
  let cmdline = '';
  try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return null; }
  const db = cmdline.match(new RegExp(`${dbPrefix}([a-z_]+)`));
  // Other sessions' databases share this server; they are reported apart, not mixed into ours.
  if (db) return `postgres ${db[1]}`;
  return /postgres: .*(writer|checkpointer|walwriter|launcher|collector)/.test(cmdline) ? 'postgres (server)' : 'postgres (other clients)';
}

export function cpuSnapshot(processes: ShopProcess[], dbPrefix: string): CpuSnapshot {
  const groups = new Map(processes.map((p) => [p.child.pid!, p.name] as const));
  const out: CpuSnapshot = new Map();
  const self = process.cpuUsage();
  out.set('bench client (this process)', { ticks: ((self.user + self.system) / 1e6) * clockTicks(), rssKb: process.memoryUsage().rss / 1024 });
  try {
    const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    out.set(MACHINE, { ticks: f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!, rssKb: 0 });
  } catch { /* not Linux: no machine total */ }
  let pids: string[] = [];
  try { pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return out; }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let stat: string;
    try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { continue; }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    const label = labelOf(pid, comm, Number(f[2]), groups, dbPrefix);
    if (!label) continue;
    const entry = out.get(label) ?? { ticks: 0, rssKb: 0 };
    entry.ticks += Number(f[11]) + Number(f[12]);
    entry.rssKb += (Number(f[21]) * 4096) / 1024;
    out.set(label, entry);
  }
  return out;
}

export interface CpuUse { label: string; cpuSeconds: number; percentOfCore: number; rssMb: number }

/** CPU used between two snapshots, busiest first. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, seconds: number): CpuUse[] {
  const rows: CpuUse[] = [];
  const use = (label: string, cpuSeconds: number, rssKb: number) =>
    rows.push({ label, cpuSeconds, percentOfCore: (100 * cpuSeconds) / seconds, rssMb: rssKb / 1024 });
  for (const [label, end] of after) {
    if (label !== MACHINE) use(label, (end.ticks - (before.get(label)?.ticks ?? 0)) / clockTicks(), end.rssKb);
  }
  const machine = after.get(MACHINE);
  if (machine) {
    const ours = rows.reduce((sum, r) => sum + r.cpuSeconds, 0);
    // Whatever else ran on the machine meanwhile (other users, other shops) competed for the same cores.
    use('everything else on the machine', Math.max(0, (machine.ticks - (before.get(MACHINE)?.ticks ?? 0)) / clockTicks() - ours), 0);
  }
  return rows.sort((a, b) => b.cpuSeconds - a.cpuSeconds);
}
