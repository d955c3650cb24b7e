import { seedDemoCatalog } from './seed';

/** `npm run seed`: seeds the demo catalog into a running shop (GATEWAY_URL, default localhost:4000) as the given admin. */
const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const admin = { email: process.env.DEV_ADMIN_EMAIL ?? 'admin@shop.local', password: process.env.DEV_ADMIN_PASSWORD ?? 'ShopAdmin-2026' };
seedDemoCatalog(url, admin).then((n) => {
  console.log(n ? `seeded ${n} products` : 'the catalog already has products: nothing seeded');
}, (e: Error) => {
  console.error(`seed: ${e.message}`);
  process.exit(1);
});
