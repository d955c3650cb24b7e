import path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { connectNats, databaseName, deleteStream, dropDatabase, loadConfig, PlatformConfig } from '@shop/platform';
import { subgraphNames } from '../../subgraphs';
import { startLocalSmtpServer } from '../../scripts/mail/local-smtp-server';
import { ADDRESS, CHECKOUT } from '../../tests/support/shop';
import { Shop, killAllNow, launchShop } from '../checkout/processes';
import { freePortBlock, shopEnv } from '../checkout/env';
import { must, seededUserToken, setUp } from '../checkout/setup';
import { cpuBetween, cpuSnapshot } from '../checkout/cpu';
import { machineLine } from '../checkout/report';
import { formatSummary, summarize } from '../stats';
import type { Arrival, ClientCommand, ClientReply } from './load-client';

const ROOT = path.resolve(__dirname, '../..');
const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Options { subscribers: number; reference: number; events: number; gapMs: number; partners: number; orders: number; modes: ('shared' | 'per-subscriber')[] }

function num(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(args[i + 1]);
}

export function subscriptionsOptions(args: string[]): Options {
  const subscribers = num(args, 'subscribers', 1000);
  const modes: Options['modes'] = args.includes('--per-subscriber') ? ['per-subscriber'] : args.includes('--shared') ? ['shared'] : ['shared', 'per-subscriber'];
  return {
    subscribers, reference: num(args, 'reference-subscribers', Math.min(subscribers, 2000)), events: num(args, 'events', 10),
    gapMs: num(args, 'gap', 1000), partners: num(args, 'partners', 1000), orders: num(args, 'orders', 3), modes,
  };
}

/** The load client process and a request/reply over its IPC channel. */
function loadClient(): { child: ChildProcess; ask(command: ClientCommand): Promise<ClientReply> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/subscriptions/load-client.ts')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    child,
    ask: (command) => new Promise((resolve) => { child.once('message', (reply) => resolve(reply as ClientReply)); child.send(command); }),
  };
}

/** Polls the load client until every socket holds an arrival for each key, or `ms` passes. */
async function arrivalsOf(ask: (c: ClientCommand) => Promise<ClientReply>, keys: string[], ms: number) {
  const until = Date.now() + ms;
  for (;;) {
    const reply = await ask({ type: 'collect' }) as Extract<ClientReply, { type: 'arrivals' }>;
    const complete = reply.perSocket.every((arrivals) => keys.every((k) => arrivals.some((a) => a.key === k)));
    if (complete || Date.now() > until) return reply;
    await sleep(500);
  }
}

function gatewayPeakSampler(shop: Shop, prefix: string) {
  let peakKb = 0;
  const timer = setInterval(() => { peakKb = Math.max(peakKb, cpuSnapshot(shop.processes, prefix).get('gateway')?.rssKb ?? 0); }, 1000);
  return { stop: () => { clearInterval(timer); return peakKb / 1024; } };
}

function report(title: string, perSocket: Arrival[][], keys: string[], timeOf: (a: Arrival) => number | undefined, closes: Record<string, number>, errors: number) {
  const latencies: number[] = [];
  let delivered = 0;
  for (const arrivals of perSocket) {
    for (const key of keys) {
      const a = arrivals.find((x) => x.key === key);
      if (!a) continue;
      delivered += 1;
      const t = timeOf(a);
      if (t !== undefined) latencies.push(a.at - t);
    }
  }
  log(`    ${title}: ${formatSummary(summarize(latencies))}`);
  log(`    delivered ${delivered}/${perSocket.length * keys.length}; sockets closed early ${JSON.stringify(closes)}; results with errors ${errors}`);
}

async function runMode(mode: 'shared' | 'per-subscriber', o: Options): Promise<void> {
  const subscribers = mode === 'shared' ? o.subscribers : o.reference;
  const names = subgraphNames;
  const base = await freePortBlock(names.length + 1);
  const mail = await startLocalSmtpServer({ port: 0 });
  const env = shopEnv(names, base, {
    ACCESS_TOKEN_TTL_SECONDS: '7200', SMTP_HOST: mail.host, SMTP_PORT: String(mail.port), SUBSCRIPTION_SHARING: mode === 'shared' ? 'true' : 'false',
  });
  const config: PlatformConfig = loadConfig(env);
  log(`\n  [${mode}] ${subscribers} stockChanged subscribers, ${o.events} stock changes ${o.gapMs} ms apart; ${o.partners} PARTNER connections, ${o.orders} checkouts`);
  const shop = launchShop(names, env);
  const client = loadClient();
  process.on('exit', () => killAllNow(shop.processes));
  try {
    await shop.ready();
    const catalog = await setUp(config, shop.gatewayUrl, { products: 1, customers: o.orders + 1, stock: 1_000_000, log: () => undefined });
    const productId = catalog.productIds[0]!;
    const admin = await seededUserToken(config, shop.gatewayUrl, 'ADMIN');
    const setStock = async (n: number) => {
      await must(shop.gatewayUrl, 'mutation($p: ID!, $n: Int!) { setStock(productId: $p, onHand: $n) { available } }', { p: productId, n }, admin);
      return Date.now();
    };

    const opened = await client.ask({
      type: 'open', url: shop.gatewayUrl, count: subscribers, key: 'stock', variables: { p: [productId] },
      query: 'subscription($p: [ID!]) { stockChanged(productIds: $p) { id name stock { available inStock } } }',
    });
    log(`    ${subscribers} sockets: ${JSON.stringify(opened)}`);
    // A first change that every subscriber must see: then each is listening upstream.
    await setStock(500_000);
    await arrivalsOf(client.ask, ['500000'], 180_000);
    const sampler = gatewayPeakSampler(shop, config.databasePrefix);
    const before = cpuSnapshot(shop.processes, config.databasePrefix);
    const started = Date.now();
    const answered = new Map<string, number>();
    for (let k = 1; k <= o.events; k++) {
      answered.set(String(1000 + k), await setStock(1000 + k));
      await sleep(o.gapMs);
    }
    const keys = [...answered.keys()];
    const stock = await arrivalsOf(client.ask, keys, 60_000) as Extract<ClientReply, { type: 'arrivals' }>;
    const after = cpuSnapshot(shop.processes, config.databasePrefix);
    const gw = cpuBetween(before, after, (Date.now() - started) / 1000).find((r) => r.label === 'gateway');
    report('stock change answered → client', stock.perSocket, keys, (a) => answered.get(a.key), stock.closes, stock.errors);
    log(`    gateway: peak RSS ${sampler.stop().toFixed(0)} MB, CPU ${gw?.percentOfCore.toFixed(0)}% of a core over the window`);
    await client.ask({ type: 'close' });
    await sleep(3000);

    const partner = await seededUserToken(config, shop.gatewayUrl, 'PARTNER');
    const partners = mode === 'shared' ? o.partners : Math.min(o.partners, o.reference);
    await client.ask({
      type: 'open', url: shop.gatewayUrl, count: partners, key: 'order', token: partner,
      query: 'subscription { ordersUpdated { id status statusHistory { status at } } }',
    });
    const checkout = async (customer: { token: string }, key: string) => {
      const { addToCart } = await must(shop.gatewayUrl, 'mutation($i: AddToCartInput!) { addToCart(input: $i) { cart { id } } }', { i: { productId, quantity: 1 } }, customer.token);
      const placed = await must(shop.gatewayUrl, CHECKOUT, {
        i: { cartId: addToCart.cart.id, shippingAddress: ADDRESS, shippingMethodId: catalog.shippingMethodId, paymentToken: 'tok_visa', idempotencyKey: key },
      }, customer.token);
      return placed.checkout.order.id as string;
    };
    const warm = await checkout(catalog.customers[0]!, 'warm-up');
    await arrivalsOf(client.ask, [`${warm}:CONFIRMED`], 180_000);
    const orderIds: string[] = [];
    const sampler2 = gatewayPeakSampler(shop, config.databasePrefix);
    for (let i = 0; i < o.orders; i++) { orderIds.push(await checkout(catalog.customers[i + 1]!, `o${i}`)); await sleep(o.gapMs); }
    const orderKeys = orderIds.map((id) => `${id}:CONFIRMED`);
    const orders = await arrivalsOf(client.ask, orderKeys, 60_000) as Extract<ClientReply, { type: 'arrivals' }>;
    // Every status any subscriber saw of the measured orders, expected at every subscriber.
    const seen = new Set(orders.perSocket.flat().map((a) => a.key).filter((k) => orderIds.some((id) => k.startsWith(id))));
    report('order status entered → PARTNER client', orders.perSocket, [...seen], (a) => a.eventAt, orders.closes, orders.errors);
    log(`    gateway: peak RSS ${sampler2.stop().toFixed(0)} MB`);
  } finally {
    client.child.kill();
    for (const problem of await shop.stop().catch((e: Error) => [e.message])) log(`    stopping: ${problem}`);
    await mail.stop();
    for (const name of names) await dropDatabase(config, databaseName(config, name)).catch(() => undefined);
    const nc = await connectNats(config, 'bench-cleanup');
    await deleteStream(nc, config.eventPrefix);
    await nc.drain();
    shop.cleanedUp();
  }
}

export async function runSubscriptions(args: string[]): Promise<void> {
  const o = subscriptionsOptions(args);
  log('Subscriptions fan-out benchmark: shop and load client in separate processes');
  log(`  machine: ${machineLine()}`);
  for (const mode of o.modes) await runMode(mode, o);
}
