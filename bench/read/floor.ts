/**
 * The floor the catalog listing is compared with: the same listing JSON
 * served by a bare `node:http` handler over `pg`, from tables of its own
 * (the read scenario creates and fills them with the shop's rows), with
 * four small queries per request: the page (with the USD rate joined), the
 * total, the stock of the page, its categories. No GraphQL, no ORM, no
 * gateway: what one process and PostgreSQL can do for this answer.
 *
 * `tsx bench/read/floor.ts <port> <database>` (the server from the PG* variables, as psql reads them).
 */
import http from 'node:http';
import { Pool } from 'pg';

const [portArg, database] = process.argv.slice(2);
const pool = new Pool({ database, max: 10 });

const PAGE = `SELECT p.id, p.name, p.price_amount, p.price_currency, p.category_id, fr.rate_scaled AS from_rate, tr.rate_scaled AS to_rate
  FROM floor_products p LEFT JOIN floor_rates fr ON fr.currency = p.price_currency LEFT JOIN floor_rates tr ON tr.currency = 'USD'
  ORDER BY lower(p.name), p.id LIMIT $1`;

/** Half away from zero, as the shop rounds conversions (all currencies here have 2 minor digits). */
function convert(amount: number, fromRate: bigint, toRate: bigint): number {
  const n = BigInt(amount) * toRate;
  const q = n / fromRate;
  return Number((n % fromRate) * 2n >= fromRate ? q + 1n : q);
}

async function listing(first: number): Promise<unknown> {
  const [page, total] = await Promise.all([pool.query(PAGE, [first]), pool.query('SELECT count(*)::int AS n FROM floor_products')]);
  const ids = page.rows.map((r) => r.id);
  const categoryIds = [...new Set(page.rows.map((r) => r.category_id).filter(Boolean))];
  const [stock, categories] = await Promise.all([
    pool.query('SELECT product_id, available FROM floor_stock WHERE product_id = ANY($1::uuid[])', [ids]),
    pool.query('SELECT id, name FROM floor_categories WHERE id = ANY($1::uuid[])', [categoryIds]),
  ]);
  const stockOf = new Map(stock.rows.map((r) => [r.product_id, r.available as number]));
  const categoryOf = new Map(categories.rows.map((r) => [r.id, { name: r.name }]));
  return {
    data: {
      products: {
        totalCount: total.rows[0].n,
        edges: page.rows.map((r) => {
          const available = stockOf.get(r.id) ?? 0;
          const usd = r.price_currency === 'USD' ? r.price_amount
            : convert(r.price_amount, BigInt(r.from_rate ?? '1000000000'), BigInt(r.to_rate));
          return {
            node: {
              id: r.id, name: r.name,
              price: { amount: r.price_amount, currency: r.price_currency },
              usd: { amount: usd, currency: 'USD' },
              stock: { available, inStock: available > 0 },
              category: categoryOf.get(r.category_id) ?? null,
              rating: null,
            },
          };
        }),
      },
    },
  };
}

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    listing(20).then((body) => {
      const json = JSON.stringify(body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    }, (e: Error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: e.message }] }));
    });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(portArg), '127.0.0.1', () => process.stdout.write('floor ready\n'));
process.on('SIGTERM', () => { server.close(); void pool.end().then(() => process.exit(0)); });
