import { RunningSubgraph, createLogger, loadConfig, startSubgraph, startTracing } from '@shop/platform';
import { ensureUser } from '@shop/accounts';
import { startGateway } from '@shop/gateway';
import { subgraphDefinitions, subgraphNames } from '../subgraphs';
import { seedDemoCatalog } from './seed/seed';
import { devMailServer } from './mail/dev-mail';

/** The development admin `npm start` creates (README: "Dev admin account"). */
const DEV_ADMIN = {
  email: process.env.DEV_ADMIN_EMAIL ?? 'admin@shop.local',
  password: process.env.DEV_ADMIN_PASSWORD ?? 'ShopAdmin-2026',
};

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.env === 'production') throw new Error('scripts/dev.ts is for development; run each subgraph and the gateway on its own in production');
  const log = createLogger('shop', config.logLevel);
  const tracing = startTracing(config, 'shop');
  const running: RunningSubgraph[] = [];
  const mail = await devMailServer(config, log);
  const stopAll = async () => {
    for (const s of running.reverse()) await s.stop().catch(() => undefined);
    await mail?.stop();
    await tracing?.stop();
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  for (const name of subgraphNames) {
    running.push(await startSubgraph(subgraphDefinitions[name]!, config, { log: log.child({ subgraph: name }) }));
  }
  await ensureUser(running.find((s) => s.name === 'accounts')!.orm, { ...DEV_ADMIN, name: 'Shop Admin', role: 'ADMIN' });
  const gateway = await startGateway(config, { log: log.child({ part: 'gateway' }) });
  const seeded = await seedDemoCatalog(gateway.url, DEV_ADMIN);
  if (seeded) log.info(`seeded the demo catalog: ${seeded} products`);
  console.log(`\nThe shop is up.\n  GraphQL endpoint and IDE: http://localhost:${gateway.port}/graphql\n  Dev admin: ${DEV_ADMIN.email} / ${DEV_ADMIN.password}\n`);
}

main().catch((e: Error) => {
  console.error(`npm start: ${e.message}`);
  process.exit(1);
});
