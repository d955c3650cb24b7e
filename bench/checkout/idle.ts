import { PlatformConfig } from '@shop/platform';
import { cpuBetween, cpuSnapshot } from './cpu';
import { pgSnapshot } from './pg-stats';
import { ShopProcess } from './processes';

/**
 * What the shop costs doing nothing, measured after setup and before the
 * load: outbox relays polling, consumers waiting on pulls and sweeps all
 * run on a timer in every process, and on a small machine that baseline
 * is capacity the checkouts do not get.
 */
export async function measureIdle(config: PlatformConfig, processes: ShopProcess[], seconds: number): Promise<string[]> {
  const cpuBefore = cpuSnapshot(processes, config.databasePrefix);
  const pgBefore = await pgSnapshot(config);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(processes, config.databasePrefix), seconds);
  const pgAfter = await pgSnapshot(config);
  const names = new Set(processes.map((p) => p.name));
  const shop = cpu.filter((c) => names.has(c.label) || (c.label.startsWith('postgres ') && !c.label.includes('(')));
  const total = shop.reduce((sum, c) => sum + c.percentOfCore, 0);
  const perSecond = [...pgAfter].map(([db, end]) => [db, (end.commits - (pgBefore.get(db)?.commits ?? 0)) / seconds] as const)
    .sort((a, b) => b[1] - a[1]);
  return [
    `\nIdle baseline (${seconds} s with no traffic, before the load)`,
    `  the shop's processes and their PostgreSQL backends used ${total.toFixed(1)}% of one core:`,
    `    ${shop.filter((c) => c.percentOfCore >= 0.5).map((c) => `${c.label} ${c.percentOfCore.toFixed(1)}%`).join(', ')}`,
    `  PostgreSQL transactions per second: ${perSecond.map(([db, n]) => `${db} ${n.toFixed(1)}`).join(', ')}`,
  ];
}
