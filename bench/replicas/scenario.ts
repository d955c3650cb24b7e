import { performance } from 'node:perf_hooks';
import { SubgraphName, loadConfig } from '@shop/platform';
import { removeRunData } from '../checkout/run-data';
import { subgraphNames } from '../../subgraphs';
import { startLocalSmtpServer } from '../../scripts/mail/local-smtp-server';
import { Shop, killAllNow, launchShop } from '../checkout/processes';
import { freePortBlock, shopEnv } from '../checkout/env';
import { setUp } from '../checkout/setup';
import { OrderOutcomes } from '../checkout/order-outcomes';
import { newLoadResult, runLoad } from '../checkout/load';
import { CpuSnapshot, CpuUse, cpuBetween, cpuSnapshot } from '../checkout/cpu';
import { machineLine } from '../checkout/report';
import { Tally, formatSummary, summarize } from '../stats';
import { Balancer, startBalancer } from './balancer';
import { Replica } from './replica';
import { ledgerChecks, pendingOrders, unpublishedEvents } from './ledger';

interface Options { subgraph: SubgraphName; replicas: number; customers: number; seconds: number; products: number; crash: boolean }

function flag(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i]!.includes('=') ? args[i]!.slice(args[i]!.indexOf('=') + 1) : args[i + 1];
}

function whole(args: string[], name: string, fallback: number, min: number): number {
  const raw = flag(args, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number from ${min}, got "${raw}"`);
  return n;
}

export function replicaOptions(args: string[]): Options {
  const subgraph = (flag(args, 'subgraph') ?? 'orders') as SubgraphName;
  if (!subgraphNames.includes(subgraph)) throw new Error(`--subgraph must be one of ${subgraphNames.join(', ')}, got "${subgraph}"`);
  return {
    subgraph,
    replicas: whole(args, 'replicas', 2, 2),
    customers: whole(args, 'customers', 20, 1),
    seconds: whole(args, 'seconds', 30, 4),
    products: whole(args, 'products', 20, 1),
    crash: !args.includes('--no-crash'),
  };
}

const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STOCK = 1_000_000;

/** CPU over the window, where a replica killed mid-run counts its first process up to the kill and its second from its start. */
function windowCpu(spans: [CpuSnapshot, CpuSnapshot][], seconds: number): Map<string, CpuUse> {
  const out = new Map<string, CpuUse>();
  for (const [from, to] of spans) {
    for (const use of cpuBetween(from, to, seconds)) {
      const seen = out.get(use.label);
      out.set(use.label, seen
        ? { ...use, cpuSeconds: seen.cpuSeconds + use.cpuSeconds, percentOfCore: seen.percentOfCore + use.percentOfCore }
        : use);
    }
  }
  return out;
}

/**
 * Two (or more) processes of one subgraph share its work: HTTP requests
 * through a round-robin balancer (as a Kubernetes Service would), events
 * through the subgraph's durable NATS consumers (each message goes to one
 * of them), its outbox through relays that claim rows with SKIP LOCKED.
 * Halfway, one replica is killed with SIGKILL and started again. Once the
 * saga has settled, the databases are checked: every order reached an
 * outcome and every effect happened exactly once.
 */
export async function runReplicas(args: string[]): Promise<void> {
  const o = replicaOptions(args);
  const names = subgraphNames;
  const base = await freePortBlock(names.length + 1 + o.replicas);
  const mail = await startLocalSmtpServer({ port: 0 });
  const env = shopEnv(names, base, {
    ACCESS_TOKEN_TTL_SECONDS: String(o.seconds + 900), SMTP_HOST: mail.host, SMTP_PORT: String(mail.port),
  });
  const config = loadConfig(env);
  const servicePort = Number(env[`${o.subgraph.toUpperCase()}_PORT`]);
  const replicas = Array.from({ length: o.replicas }, (_, i) =>
    new Replica(`${o.subgraph}#${i + 1}`, base + names.length + 1 + i, o.subgraph, env));
  log(`Replicas benchmark: ${o.replicas} processes of ${o.subgraph} behind one address, ${o.customers} customers for ${o.seconds} s`);
  log(`  machine: ${machineLine()}`);
  log(`  ${o.subgraph} at 127.0.0.1:${servicePort} (round-robin per connection) -> ${replicas.map((r) => `${r.label} :${r.port}`).join(', ')}`);
  log(`  ${o.crash ? `halfway, ${replicas[1]!.label} is killed (SIGKILL) and started again` : 'no replica is killed (--no-crash)'}`);

  let shop: Shop | null = null;
  let balancer: Balancer | null = null;
  let outcomes: OrderOutcomes | null = null;
  const all = () => [...(shop?.processes ?? []), ...replicas.flatMap((r) => r.processes())];
  process.on('exit', () => killAllNow(all()));
  const cleanUp = async () => {
    await outcomes?.stop().catch(() => undefined);
    for (const r of replicas) if (r.current?.child.exitCode === null) await r.kill().catch(() => undefined);
    for (const problem of await shop?.stop().catch((e: Error) => [e.message]) ?? []) log(`  stopping: ${problem}`);
    await balancer?.close();
    await mail.stop();
    await removeRunData(config, names, log);
    shop?.cleanedUp();
  };

  try {
    balancer = await startBalancer(servicePort, replicas.map((r) => ({ label: r.label, port: r.port, connections: 0 })));
    shop = launchShop(names.filter((n) => n !== o.subgraph), env);
    for (const r of replicas) r.start();
    await Promise.all(replicas.map((r) => r.waitReady()));
    await shop.ready();
    const catalog = await setUp(config, shop.gatewayUrl, { products: o.products, customers: o.customers, stock: STOCK, log });
    outcomes = new OrderOutcomes(config);
    await outcomes.start(config);
    // Start-up noise (consumers created while the stream was new) is not part of the run.
    for (const r of replicas) r.current.problems = new Tally();

    log(`  load: ${o.customers} customers for ${o.seconds} s ...`);
    for (const b of balancer.backends) b.connections = 0;
    await Promise.all(replicas.map((r) => r.resetBaseline()));
    const sampler = setInterval(() => { for (const r of replicas) void r.sample(); }, 1000);
    const result = newLoadResult(o.seconds);
    const spans: [CpuSnapshot, CpuSnapshot][] = [];
    let from = cpuSnapshot(all(), config.databasePrefix);
    const started = performance.now();
    let downMs = 0;
    const crash = o.crash ? (async () => {
      await sleep((o.seconds * 1000) / 2);
      const victim = replicas[1]!;
      await victim.sample();
      spans.push([from, cpuSnapshot(all(), config.databasePrefix)]);
      const killedAt = performance.now();
      await victim.kill();
      log(`    ${((killedAt - started) / 1000).toFixed(0)} s: ${victim.label} killed`);
      await sleep(2000);
      victim.start();
      await victim.waitReady();
      downMs = performance.now() - killedAt;
      from = cpuSnapshot(all(), config.databasePrefix);
      log(`    ${((performance.now() - started) / 1000).toFixed(0)} s: ${victim.label} started again, ready after ${(downMs / 1000).toFixed(1)} s down`);
    })() : Promise.resolve();
    const load = runLoad(shop.gatewayUrl, catalog, outcomes, { seconds: o.seconds, settleMs: 60_000 }, result);
    await sleep(o.seconds * 1000);
    await crash;
    spans.push([from, cpuSnapshot(all(), config.databasePrefix)]);
    await load;
    // The saga's last steps and the relays' last passes: the checks below read the settled state.
    const settleUntil = Date.now() + 60_000;
    while (Date.now() < settleUntil && ((await pendingOrders(config)) > 0 || (await unpublishedEvents(config)) > 0)) await sleep(500);
    await sleep(2000);
    clearInterval(sampler);
    await Promise.all(replicas.map((r) => r.sample()));
    const cpu = windowCpu(spans, o.seconds);

    const minutes = o.seconds / 60;
    log('\nReplicas benchmark results');
    log(`  machine                        ${machineLine()}`);
    log(`  orders placed                  ${result.placed}, ${result.confirmMs.length} confirmed, ${result.cancelled.total} cancelled, ${result.unsettled} without an outcome in 60 s`);
    log(`  checkouts/minute               ${(result.confirmedInWindow / minutes).toFixed(0)} (CONFIRMED inside the window)`);
    log(`  checkout -> CONFIRMED          ${formatSummary(summarize(result.confirmMs))}`);
    log(`  errors seen by customers       ${result.errors.total === 0 ? 'none' : result.errors.entries().map(([w, n]) => `${n} x ${w}`).join('; ')}`);
    log(`\nHow ${o.subgraph}'s work was shared (load window and settling; counters from each replica's /metrics)`);
    log(`  ${'replica'.padEnd(12)} ${'connections'.padStart(11)} ${'requests'.padStart(9)} ${'events'.padStart(7)} ${'duplicates'.padStart(10)} ${'redelivered'.padStart(11)} ${'statements'.padStart(10)} ${'CPU'.padStart(7)}  restarts`);
    const totals = replicas.map((r) => r.total());
    const sumOf = (k: keyof ReturnType<Replica['total']>) => totals.reduce((s, t) => s + t[k], 0) || 1;
    replicas.forEach((r, i) => {
      const t = totals[i]!;
      const share = (k: keyof typeof t) => `${t[k]} (${((100 * t[k]) / sumOf(k)).toFixed(0)}%)`;
      log(`  ${r.label.padEnd(12)} ${String(balancer!.backends[i]!.connections).padStart(11)} ${share('requests').padStart(9)} ${share('eventsHandled').padStart(7)} ${String(t.duplicates).padStart(10)} ${String(t.redeliveries).padStart(11)} ${String(t.statements).padStart(10)} ${`${(cpu.get(r.label)?.percentOfCore ?? 0).toFixed(1)}%`.padStart(7)}  ${r.restarts}`);
    });
    if (o.crash) log(`  ${replicas[1]!.label}'s counters of its killed process are its last reading before the kill (read every second)`);
    log('\nWhat the databases hold once the saga settled');
    const checks = await ledgerChecks(config, o.products, STOCK);
    for (const c of checks) log(`  ${c.ok ? 'ok      ' : 'MISMATCH'} ${c.name.padEnd(42)} ${c.detail}`);
    const logged = all().filter((p) => p.problems.total > 0);
    log('\nWarnings and errors the shop logged during the run');
    if (logged.length === 0) log('  none');
    for (const p of logged) for (const [msg, n] of p.problems.entries().slice(0, 4)) log(`  ${p.name.padEnd(13)} ${String(n).padStart(6)} x ${msg.slice(0, 160)}`);
  } finally {
    log('');
    await cleanUp();
  }
}
