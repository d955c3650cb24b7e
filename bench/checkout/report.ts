import os from 'node:os';
import { formatMs, formatSummary, summarize } from '../stats';
import { CpuUse } from './cpu';
import { LoadResult } from './load';
import { ShopProcess } from './processes';

export interface RunInfo {
  customers: number;
  seconds: number;
  settledAfterMs: number;
  watchedVia: string;
  outboxPollMs: string;
}

const row = (label: string, value: string | number) => console.log(`  ${label.padEnd(30)} ${value}`);

export function machineLine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${cpus.length} cores (${model}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version} on ${process.platform}; load average ${load}`;
}

/** `more`: further figures (events, database traffic), printed before the errors. */
export function printResults(info: RunInfo, r: LoadResult, cpu: CpuUse[], processes: ShopProcess[], more: string[] = []): void {
  const minutes = info.seconds / 60;
  const confirmed = r.confirmMs.length;
  console.log('\nCheckout benchmark results');
  row('machine', machineLine());
  row('customers', info.customers);
  row('duration', `${info.seconds} s load window, then ${formatMs(info.settledAfterMs)} until in-flight orders settled`);
  row('outcomes observed via', info.watchedVia);
  row('OUTBOX_POLL_MS', info.outboxPollMs);
  row('orders placed', r.placed);
  row('CONFIRMED', confirmed);
  row('CANCELLED', r.cancelled.total);
  for (const [reason, n] of r.cancelled.entries()) row(`  reason`, `${n} x ${reason}`);
  row('no outcome (timed out)', r.unsettled);
  row('sustained checkouts/minute', `${(r.confirmedInWindow / minutes).toFixed(1)} (CONFIRMED inside the window per minute; ${(r.confirmedInWindow / info.seconds).toFixed(2)}/s)`);
  row('checkout mutation latency', formatSummary(summarize(r.checkoutMs)));
  row('checkout -> CONFIRMED', formatSummary(summarize(r.confirmMs)));
  for (const [hop, samples] of r.hopMs) row(`  ${hop}`, formatSummary(summarize(samples)));
  row('addToCart retries', `${r.addRetries} (product not yet known to the cart right after setup)`);
  row('cart still held last order', r.cartLagMs.length
    ? `${r.cartLagMs.length} times; cleared after ${formatSummary(summarize(r.cartLagMs))}`
    : '0 times');

  console.log('\nCPU during the load window (100% = one core; the machine has %d; per order: per CONFIRMED order inside the window)', os.cpus().length);
  for (const c of cpu.filter((c) => c.cpuSeconds >= 0.05)) {
    const shopProcess = processes.some((p) => p.name === c.label) || c.label.startsWith('bench');
    const perOrder = r.confirmedInWindow > 0 ? `${(1000 * c.cpuSeconds / r.confirmedInWindow).toFixed(2).padStart(6)} ms/order` : '';
    console.log(`  ${c.label.padEnd(30)} ${c.percentOfCore.toFixed(1).padStart(6)}%  ${c.cpuSeconds.toFixed(1).padStart(6)} s  ${perOrder}${shopProcess ? `  rss ${c.rssMb.toFixed(0)} MB` : ''}`);
  }

  const shopCpu = cpu.filter((c) => !c.label.startsWith('everything else') && !c.label.startsWith('bench') && c.label !== 'postgres (other clients)')
    .reduce((sum, c) => sum + c.cpuSeconds, 0);
  if (r.confirmedInWindow > 0) {
    console.log(`  => the shop (its processes, their PostgreSQL backends, nats-server) used ${(1000 * shopCpu / r.confirmedInWindow).toFixed(0)} ms of CPU per CONFIRMED order`);
  }

  for (const line of more) console.log(line);

  console.log('\nErrors seen by the customers');
  if (r.errors.total === 0) console.log('  none');
  for (const [what, n] of r.errors.entries()) console.log(`  ${String(n).padStart(6)} x ${what}`);

  console.log('\nWarnings and errors the shop logged during the run');
  const logged = processes.filter((p) => p.problems.total > 0);
  if (logged.length === 0) console.log('  none');
  for (const p of logged) {
    for (const [msg, n] of p.problems.entries().slice(0, 5)) console.log(`  ${p.name.padEnd(13)} ${String(n).padStart(6)} x ${msg}`);
  }
}
