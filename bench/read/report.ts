import os from 'node:os';
import { formatMs } from '../stats';
import { machineLine } from '../checkout/report';
import { Measured } from './measure';

const row = (label: string, value: string) => console.log(`  ${label.padEnd(26)} ${value}`);

function figures(m: Measured): string {
  const f = m.figures;
  const errors = Object.values(f.errors).reduce((s, n) => s + n, 0);
  return `${f.rps.toFixed(0).padStart(6)} req/s  p50 ${formatMs(f.p50)}  p97.5 ${formatMs(f.p975)}  p99 ${formatMs(f.p99)}  max ${formatMs(f.max)}  errors ${errors}  (n=${f.ok})`;
}

/** The read scenario's results: each target, the ratio to the floor, CPU by process in each window. */
export function printRead(results: Measured[], equal: string, connections: number): void {
  console.log('\nRead benchmark results (catalog listing, %d connections)', connections);
  row('machine', machineLine());
  row('answers equal (shop = floor)', equal);
  const [floor, off, on] = results;
  for (const m of results) row(m.label, figures(m));
  if (floor && off) {
    row('gateway / floor', `${((100 * off.figures.rps) / floor.figures.rps).toFixed(1)}% of the floor's requests/s (target >= 35%); p97.5 ${(off.figures.p975 / floor.figures.p975).toFixed(2)}x the floor's (target <= 3x)`);
  }
  if (floor && on) row('cache on / floor', `${((100 * on.figures.rps) / floor.figures.rps).toFixed(1)}% of the floor's requests/s; p97.5 ${(on.figures.p975 / floor.figures.p975).toFixed(2)}x`);
  for (const m of results) {
    const errs = Object.entries(m.figures.errors);
    if (errs.length) for (const [what, n] of errs.slice(0, 5)) console.log(`    ${m.label}: ${n} x ${what}`);
  }
  for (const m of results) {
    console.log(`\nCPU while measuring "${m.label}" (100%% = one core; the machine has ${os.cpus().length})`.replace('%%', '%'));
    for (const c of m.cpu.filter((c) => c.percentOfCore >= 1)) {
      // CPU per answer holds up when other work on the machine starves the shop, where requests/s does not.
      const perAnswer = m.figures.ok > 0 ? `  ${((1000 * c.cpuSeconds) / m.figures.ok).toFixed(2).padStart(7)} ms/answer` : '';
      console.log(`  ${c.label.padEnd(30)} ${c.percentOfCore.toFixed(1).padStart(6)}%  ${c.cpuSeconds.toFixed(1).padStart(6)} s${c.label.startsWith('everything') ? '' : perAnswer}`);
    }
  }
}
