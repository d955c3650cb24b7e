/**
 * The one-shot seed of a containerised development shop (SERVICE=seed):
 * what `npm start` does after the processes are up. Waits until the
 * gateway is ready, creates (or resets) the dev admin in the accounts
 * database, then seeds the demo catalog through the gateway when the
 * catalog is empty.
 * Running it again changes nothing but the admin's password and role.
 */
import { createLogger, initORM, loadConfig, databaseName } from '@shop/platform';
import { accounts, ensureUser } from '@shop/accounts';
import { seedDemoCatalog } from '../scripts/seed/seed';

const GATEWAY_URL = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const READY_TIMEOUT_MS = Number(process.env.SEED_READY_TIMEOUT_MS ?? 300_000);
const DEV_ADMIN = {
  email: process.env.DEV_ADMIN_EMAIL || 'admin@shop.local',
  password: process.env.DEV_ADMIN_PASSWORD || 'ShopAdmin-2026',
};

async function gatewayReady(): Promise<void> {
  const readyUrl = GATEWAY_URL.replace(/\/graphql$/, '/ready');
  const until = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ok = await fetch(readyUrl, { signal: AbortSignal.timeout(3000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`the gateway at ${readyUrl} was not ready within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.env === 'production') throw new Error('the seed creates a development admin with a known password; it does not run in production');
  const log = createLogger('seed', config.logLevel);
  // A ready gateway means accounts has migrated its database: the seed never races its migrations.
  await gatewayReady();
  const { orm } = await initORM({
    config, dbName: databaseName(config, 'accounts'), entities: accounts.entities, migrations: accounts.migrations, log,
  });
  try {
    await ensureUser(orm, { ...DEV_ADMIN, name: 'Shop Admin', role: 'ADMIN' });
  } finally {
    await orm.close();
  }
  const seeded = await seedDemoCatalog(GATEWAY_URL, DEV_ADMIN);
  console.log(seeded ? `seeded the demo catalog: ${seeded} products` : 'the catalog already has products: nothing seeded');
  console.log(`Dev admin: ${DEV_ADMIN.email} / ${DEV_ADMIN.password}`);
}

main().catch((e: Error) => {
  console.error(`seed: ${e.message}`);
  process.exit(1);
});
