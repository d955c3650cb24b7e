import { Client } from 'pg';
import { PlatformConfig, ensureDatabase } from '@shop/platform';
import { adminToken, mapLimit, must, setStockWhenKnown } from '../checkout/setup';

/** The listing every read run measures (the query, with `rating` from reviews). */
export const LISTING = `{ products(first: 20, sort: NAME) { totalCount edges { node { id name price { amount currency }
  usd: price(currency: "USD") { amount currency } stock { available inStock } category { name } rating } } } }`;

const ALL = `query($after: String) { products(first: 100, sort: NAME, after: $after) { pageInfo { hasNextPage endCursor }
  edges { node { id name price { amount currency } stock { available } category { id name } } } } }`;

/** One USD rate: 1 EUR buys 1.08 USD. */
export const USD_RATE = 1.08;

/** Categories, products in EUR and USD spread over them, stock for each (some sold out), a USD rate; through the gateway. */
export async function seedCatalog(config: PlatformConfig, url: string, products: number, log: (line: string) => void): Promise<string> {
  const admin = await adminToken(config, url);
  await must(url, 'mutation($r: Float!) { setExchangeRate(currency: "USD", rate: $r) }', { r: USD_RATE }, admin);
  const categories: string[] = [];
  for (const name of ['Kitchen', 'Garden', 'Books', 'Toys']) {
    categories.push((await must(url, 'mutation($n: String!) { createCategory(name: $n) { id } }', { n: name }, admin)).createCategory.id);
  }
  await mapLimit(Array.from({ length: products }, (_, i) => i), 4, async (i) => {
    const created = await must(url, 'mutation($i: ProductInput!) { createProduct(input: $i) { id } }', {
      i: {
        name: `Listing product ${String((i * 37) % products).padStart(3, '0')}`, description: 'Read benchmark',
        price: 500 + 7 * i, currency: i % 3 === 0 ? 'USD' : 'EUR', categoryId: i % 5 === 4 ? null : categories[i % categories.length],
      },
    }, admin);
    await setStockWhenKnown(url, admin, created.createProduct.id, i % 10 === 9 ? 0 : 10 + i);
  });
  log(`  ${products} products (EUR and USD) in ${categories.length} categories, stock set, USD rate ${USD_RATE}`);
  return admin;
}

/** The floor's own tables, filled with the rows the shop serves (read back through the gateway). */
export async function fillFloor(config: PlatformConfig, url: string, database: string): Promise<void> {
  await ensureDatabase(config, database);
  const { host, port, user, password } = config.postgres;
  const db = new Client({ host, port, user, password, database });
  await db.connect();
  try {
    await db.query(`CREATE TABLE floor_products (id uuid PRIMARY KEY, name text NOT NULL, price_amount int NOT NULL, price_currency text NOT NULL, category_id uuid);
      CREATE INDEX floor_products_name ON floor_products (lower(name), id);
      CREATE TABLE floor_stock (product_id uuid PRIMARY KEY, available int NOT NULL);
      CREATE TABLE floor_categories (id uuid PRIMARY KEY, name text NOT NULL);
      CREATE TABLE floor_rates (currency text PRIMARY KEY, rate_scaled bigint NOT NULL);`);
    await db.query(`INSERT INTO floor_rates VALUES ('EUR', 1000000000), ('USD', $1)`, [Math.round(USD_RATE * 1e9)]);
    const categories = new Map<string, string>();
    for (let after: string | null = null, more = true; more;) {
      const page: any = (await must(url, ALL, { after })).products;
      for (const { node } of page.edges) {
        await db.query('INSERT INTO floor_products VALUES ($1, $2, $3, $4, $5)',
          [node.id, node.name, node.price.amount, node.price.currency, node.category?.id ?? null]);
        await db.query('INSERT INTO floor_stock VALUES ($1, $2)', [node.id, node.stock.available]);
        if (node.category) categories.set(node.category.id, node.category.name);
      }
      more = page.pageInfo.hasNextPage;
      after = page.pageInfo.endCursor;
    }
    for (const [id, name] of categories) await db.query('INSERT INTO floor_categories VALUES ($1, $2)', [id, name]);
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}
