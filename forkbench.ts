import { initORM, createLogger, loadConfig } from './platform/src';
import { cart } from './subgraphs/cart/src/definition';
async function main() {
  const config = (loadConfig as any)();
  const log = (createLogger as any)('x', 'warn');
  const { orm } = await initORM({ config, dbName: 'forkbench_cart', entities: (cart as any).entities, migrations: (cart as any).migrations, log });
  for (let round = 0; round < 3; round++) {
    const n = 5000; let t = process.hrtime.bigint(); let x: any;
    for (let i = 0; i < n; i++) { x = orm.em.fork(); }
    const a = Number(process.hrtime.bigint() - t) / 1e3 / n;
    t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) { process.env.MIKRO_ORM_COLORS = 'false'; }
    console.log('fork µs', a, 'env set µs', Number(process.hrtime.bigint() - t) / 1e3 / n, Object.keys(process.env).length);
  }
  await orm.close();
}
main();
