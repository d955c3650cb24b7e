import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@shop/platform';
import { removeRunData } from './run-data';
import { subgraphNames } from '../../subgraphs';
import { Shop, killAllNow, launchShop } from './processes';
import { freePortBlock, shopEnv } from './env';
import { startLocalSmtpServer } from '../../scripts/mail/local-smtp-server';
import { setUp } from './setup';
import { OrderOutcomes } from './order-outcomes';
import { newLoadResult, runLoad } from './load';
import { CpuSnapshot, cpuBetween, cpuSnapshot } from './cpu';
import { PgSnapshot, pgLines, pgSnapshot } from './pg-stats';
import { measureIdle } from './idle';
import { StatementSnapshot, statementLines, statementSnapshot } from './statements';
import { machineLine, printResults } from './report';
import { monotonicMicros, printProfiles } from './cpu-profile';

interface Options {
  customers: number; seconds: number; products: number; settleSeconds: number; idleSeconds: number; cpuProfDir?: string;
  /** The first port tried for the run's block of ports (two runs at once need blocks apart). */
  ports: number;
}

/** `--customers 100`, `--customers=100` or BENCH_CUSTOMERS=100 (flags win). */
function rawOption(args: string[], name: string, envName: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const raw = i < 0 ? process.env[envName] : args[i]!.includes('=') ? args[i]!.slice(args[i]!.indexOf('=') + 1) : args[i + 1];
  return raw === '' ? undefined : raw;
}

function option(args: string[], name: string, envName: string, fallback: number, min = 1): number {
  const raw = rawOption(args, name, envName);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} (${envName}) must be a whole number from ${min}, got "${raw}"`);
  return n;
}

export function checkoutOptions(args: string[]): Options {
  return {
    customers: option(args, 'customers', 'BENCH_CUSTOMERS', 50),
    seconds: option(args, 'seconds', 'BENCH_SECONDS', 60),
    products: option(args, 'products', 'BENCH_PRODUCTS', 20),
    settleSeconds: option(args, 'settle', 'BENCH_SETTLE_SECONDS', 60),
    idleSeconds: option(args, 'idle', 'BENCH_IDLE_SECONDS', 10, 0),
    cpuProfDir: rawOption(args, 'cpu-prof', 'BENCH_CPU_PROF'),
    ports: option(args, 'ports', 'BENCH_PORTS', 4100, 1024),
  };
}

const log = (line: string) => console.log(line);

export async function runCheckout(args: string[]): Promise<void> {
  const o = checkoutOptions(args);
  const names = subgraphNames;
  const base = await freePortBlock(names.length + 1, o.ports);
  // Notifications mails every order: a local SMTP server of the run's own takes the mails, so nothing goes out. It does
  // not parse them: the shop's cost of a mail is the same, and the benchmark's process leaves more of the cores to the shop.
  const mail = await startLocalSmtpServer({ port: 0, keep: false });
  // Tokens must outlive the run: an expired one would show up as errors that are not the checkout's.
  const env = shopEnv(names, base, {
    ACCESS_TOKEN_TTL_SECONDS: String(Math.max(900, o.seconds + o.settleSeconds + 600)), SMTP_HOST: mail.host, SMTP_PORT: String(mail.port),
  });
  const config = loadConfig(env);
  log(`Checkout benchmark: ${o.customers} customers for ${o.seconds} s over ${o.products} products`);
  log(`  machine: ${machineLine()}`);
  log(`  shop: ${names.join(', ')} and the gateway, one process each, on ports ${base}-${base + names.length}`);
  log(`  databases ${config.databasePrefix}*, event prefix ${config.eventPrefix}`);

  let shop: Shop | null = null;
  let outcomes: OrderOutcomes | null = null;
  let cleaning: Promise<void> | null = null;
  const cleanUp = () => cleaning ??= (async () => {
    await outcomes?.stop().catch(() => undefined);
    for (const problem of await shop?.stop().catch((e: Error) => [e.message]) ?? []) log(`  stopping: ${problem}`);
    await mail.stop();
    await removeRunData(config, names, log);
    shop?.cleanedUp();
  })();
  let progress: NodeJS.Timeout | undefined;
  let interruptedAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // One Ctrl-C under npm arrives twice (from the terminal and relayed by npm and tsx): only a later one means "now".
    if (interruptedAt && Date.now() - interruptedAt < 1000) return;
    if (interruptedAt) { if (shop) killAllNow(shop.processes); process.exit(130); }
    interruptedAt = Date.now();
    clearInterval(progress);
    log(`\n${signal}: stopping the shop and cleaning up (again to kill at once)`);
    void cleanUp().finally(() => process.exit(130));
  };
  // The phases after an interruption would only add noise while the shop is stopping.
  const checkNotInterrupted = () => { if (interruptedAt) throw new Error('interrupted'); };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => { if (shop) killAllNow(shop.processes); });

  const profDir = o.cpuProfDir ? path.resolve(o.cpuProfDir, config.eventPrefix) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  let windowUs: [number, number] | null = null;
  try {
    const booting = performance.now();
    shop = launchShop(names, env, profDir);
    await shop.ready();
    checkNotInterrupted();
    log(`  shop ready in ${((performance.now() - booting) / 1000).toFixed(1)} s`);
    const catalog = await setUp(config, shop.gatewayUrl, { products: o.products, customers: o.customers, stock: 1_000_000, log });
    checkNotInterrupted();
    outcomes = new OrderOutcomes(config);
    await outcomes.start(config);
    if (o.idleSeconds > 0) log(`  idle: ${o.idleSeconds} s with no traffic, to measure the baseline ...`);
    const idle = o.idleSeconds > 0 ? await measureIdle(config, shop.processes, o.idleSeconds) : [];

    checkNotInterrupted();
    log(`  load: ${o.customers} customers for ${o.seconds} s ...`);
    const result = newLoadResult(o.seconds);
    const [pgBefore, eventsBefore, statementsBefore] = [
      await pgSnapshot(config), await outcomes.streamMessages(config.eventPrefix), await statementSnapshot(names, env)];
    const before = cpuSnapshot(shop.processes, config.databasePrefix);
    let after: CpuSnapshot | null = null;
    let countsAfter: Promise<[PgSnapshot, number, StatementSnapshot] | null> | null = null;
    const started = performance.now();
    const startedUs = monotonicMicros();
    const takeWindowEnd = () => {
      after = cpuSnapshot(shop!.processes, config.databasePrefix);
      windowUs = [startedUs, monotonicMicros()];
      // Secondary figures: failing to read them must not lose the run's results.
      countsAfter = Promise.all([pgSnapshot(config), outcomes!.streamMessages(config.eventPrefix), statementSnapshot(names, env)]).catch(() => null);
    };
    const windowEnd = setTimeout(takeWindowEnd, o.seconds * 1000);
    progress = setInterval(() => {
      const s = ((performance.now() - started) / 1000).toFixed(0);
      log(`    ${s} s: ${result.placed} placed, ${result.confirmMs.length} confirmed, ${result.cancelled.total} cancelled, ${result.errors.total} errors`);
    }, 10_000);
    await runLoad(shop.gatewayUrl, catalog, outcomes, { seconds: o.seconds, settleMs: o.settleSeconds * 1000 }, result);
    clearInterval(progress);
    clearTimeout(windowEnd);
    const settledAfterMs = Math.max(0, performance.now() - started - o.seconds * 1000);
    if (!after) takeWindowEnd();
    const [pgAfter, eventsAfter, statementsAfter] = await countsAfter! ?? [new Map() as PgSnapshot, NaN, new Map() as StatementSnapshot];
    const perOrder = result.confirmedInWindow > 0 ? ` (${((eventsAfter - eventsBefore) / result.confirmedInWindow).toFixed(1)} per CONFIRMED order)` : '';
    printResults({
      customers: o.customers, seconds: o.seconds, settledAfterMs,
      watchedVia: `NATS core subscription on ${outcomes.subject} (no GraphQL polling)`,
      outboxPollMs: env.OUTBOX_POLL_MS ?? '250 (default)',
    }, result, cpuBetween(before, after!, o.seconds), shop.processes, [
      ...idle,
      `\nEvents published during the load window: ${eventsAfter - eventsBefore}${perOrder}`,
      'PostgreSQL during the load window, by database (per CONFIRMED order inside the window):',
      ...pgLines(pgBefore, pgAfter, result.confirmedInWindow),
      'SQL statements during the load window, by database (BEGIN/COMMIT included; per CONFIRMED order inside the window):',
      ...statementLines(statementsBefore, statementsAfter, result.confirmedInWindow),
    ]);
  } finally {
    log('');
    await cleanUp();
  }
  if (profDir && windowUs) printProfiles(profDir, ...(windowUs as [number, number]));
}
