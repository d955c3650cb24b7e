import path from 'node:path';
import os from 'node:os';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { connectNats, databaseName, deleteStream, dropDatabase, loadConfig } from '@shop/platform';
import { subgraphNames } from '../../subgraphs';
import { startLocalSmtpServer } from '../../scripts/mail/local-smtp-server';
import { Shop, ShopProcess, killAllNow, launch, launchShop } from '../checkout/processes';
import { freePortBlock, shopEnv } from '../checkout/env';
import { machineLine } from '../checkout/report';
import { printProfiles } from '../checkout/cpu-profile';
import { must } from '../checkout/setup';
import { LISTING, fillFloor, seedCatalog } from './setup';
import { Measured, measure } from './measure';
import { printRead } from './report';

/** `--connections 64`, `--seconds 20`, `--warmup 5`, `--products 100`, `--cpu-prof DIR` (flags win over BENCH_*). */
function readOptions(args: string[]) {
  const num = (name: string, envName: string, fallback: number) => {
    const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    const raw = i < 0 ? process.env[envName] : args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
    const n = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} (${envName}) must be a whole number from 1, got "${raw}"`);
    return n;
  };
  return {
    connections: num('connections', 'BENCH_CONNECTIONS', 64),
    seconds: num('seconds', 'BENCH_SECONDS', 20),
    warmup: num('warmup', 'BENCH_WARMUP_SECONDS', 5),
    products: num('products', 'BENCH_PRODUCTS', 100),
    cpuProfDir: args.includes('--cpu-prof') ? args[args.indexOf('--cpu-prof') + 1] : process.env.BENCH_CPU_PROF || undefined,
  };
}

const log = (line: string) => console.log(line);
const waitFor = async (url: string, method: 'GET' | 'POST', ms = 60_000) => {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    try { if ((await fetch(url, { method, body: method === 'POST' ? '{}' : undefined })).ok) return; } catch { /* not listening yet */ }
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
};

/** The read scenario: the catalog listing through the gateway against a bare node:http + pg floor, then with the response cache. */
export async function runRead(args: string[]): Promise<void> {
  const o = readOptions(args);
  const names = subgraphNames;
  const base = await freePortBlock(names.length + 3);
  const mail = await startLocalSmtpServer({ port: 0 });
  const env = shopEnv(names, base, { ACCESS_TOKEN_TTL_SECONDS: '3600', SMTP_HOST: mail.host, SMTP_PORT: String(mail.port), RESPONSE_CACHE: 'off' });
  const config = loadConfig(env);
  const floorDb = `${config.databasePrefix}floor`;
  const floorPort = base + names.length + 1;
  const cachedPort = base + names.length + 2;
  log(`Read benchmark: the catalog listing, ${o.connections} connections, ${o.warmup} s warm-up + ${o.seconds} s measured per target`);
  log(`  machine: ${machineLine()}`);
  log(`  shop: ${names.join(', ')} and the gateway, one process each (NODE_ENV=production), ports ${base}-${cachedPort}`);

  let shop: Shop | null = null;
  const extra: ShopProcess[] = [];
  const cleanUp = async () => {
    for (const p of extra) { try { process.kill(-p.child.pid!, 'SIGTERM'); } catch { /* gone */ } }
    for (const problem of await shop?.stop().catch((e: Error) => [e.message]) ?? []) log(`  stopping: ${problem}`);
    killAllNow(extra);
    await mail.stop();
    for (const name of [...names, 'floor']) {
      await dropDatabase(config, name === 'floor' ? floorDb : databaseName(config, name as typeof names[number])).catch((e) => log(`  could not drop ${name}: ${e.message}`));
    }
    const nc = await connectNats(config, 'bench-cleanup');
    await deleteStream(nc, config.eventPrefix);
    await nc.drain();
    shop?.cleanedUp();
    log(`  cleaned up: processes stopped, databases ${config.databasePrefix}* and stream ${config.eventPrefix} removed`);
  };
  process.on('SIGINT', () => { void cleanUp().finally(() => process.exit(130)); });
  process.on('exit', () => { if (shop) killAllNow([...shop.processes, ...extra]); });

  const profDir = o.cpuProfDir ? path.resolve(o.cpuProfDir, config.eventPrefix) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-read-'));
  const results: Measured[] = [];
  let equal = '';
  try {
    const booting = performance.now();
    shop = launchShop(names, env, profDir);
    await shop.ready();
    log(`  shop ready in ${((performance.now() - booting) / 1000).toFixed(1)} s`);
    await seedCatalog(config, shop.gatewayUrl, o.products, log);
    await fillFloor(config, shop.gatewayUrl, floorDb);
    const { host, port, user, password } = config.postgres;
    const floorEnv = { ...process.env, NODE_ENV: 'production', PGHOST: host, PGPORT: String(port), PGUSER: user, PGPASSWORD: password };
    const floor = launch('floor', 'bench/read/floor.ts', floorEnv, undefined, [String(floorPort), floorDb]);
    extra.push(floor);
    const floorUrl = `http://127.0.0.1:${floorPort}/`;
    await waitFor(floorUrl, 'POST');
    const shopAnswer = await must(shop.gatewayUrl, LISTING, {});
    const floorAnswer = (await (await fetch(floorUrl, { method: 'POST', body: '{}' })).json() as any).data;
    equal = JSON.stringify(shopAnswer) === JSON.stringify(floorAnswer) ? 'yes' : `NO\n    shop:  ${JSON.stringify(shopAnswer).slice(0, 300)}\n    floor: ${JSON.stringify(floorAnswer).slice(0, 300)}`;
    const body = JSON.stringify({ query: LISTING });
    const measureOptions = { ...o, dir, dbPrefix: config.databasePrefix };
    const everything = () => [...shop!.processes, ...extra];
    log('  measuring the floor ...');
    results.push(await measure('floor (node:http + pg)', floorUrl, body, everything(), measureOptions));
    log('  measuring the gateway, response cache off ...');
    results.push(await measure('gateway, cache off', shop.gatewayUrl, body, everything(), measureOptions));
    // A second gateway over the same subgraphs with the cache on: the first one's figures stay those of no cache.
    const cached = launch('gateway (cache on)', 'gateway/src/main.ts', { ...env, GATEWAY_PORT: String(cachedPort), RESPONSE_CACHE: 'on' }, profDir);
    extra.push(cached);
    const cachedUrl = `http://127.0.0.1:${cachedPort}/graphql`;
    await waitFor(cachedUrl.replace(/graphql$/, 'ready'), 'GET');
    log('  measuring the gateway, response cache on ...');
    results.push(await measure('gateway, cache on', cachedUrl, body, everything(), measureOptions));
  } catch (e) {
    for (const p of [...shop?.processes ?? [], ...extra]) {
      for (const [msg, n] of p.problems.entries().slice(0, 3)) log(`  ${p.name} logged ${n} x ${msg.slice(0, 300)}`);
    }
    throw e;
  } finally {
    log('');
    await cleanUp();
    // What was measured before a failure is still worth seeing.
    printRead(results, equal, o.connections);
  }
  if (profDir && results[1]) printProfiles(profDir, ...results[1].windowUs);
}
