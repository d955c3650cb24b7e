import { PlatformConfig, Role, createLogger, databaseName, initORM } from '@shop/platform';
import { accounts, ensureUser } from '@shop/accounts';
import { gql } from '../../tests/support/graphql-client';

/** What the load needs: signed-in customers, products with plenty of stock, a shipping method. */
export interface Catalog {
  productIds: string[];
  shippingMethodId: string;
  customers: { email: string; token: string }[];
}

/** Runs an operation that must succeed; throws with the server's answer otherwise. */
export async function must(url: string, query: string, variables: Record<string, unknown>, token?: string | null): Promise<any> {
  const res = await gql(url, query, variables, token);
  if (res.errors?.length || !res.data) throw new Error(`operation failed: ${JSON.stringify(res.errors ?? res).slice(0, 500)}`);
  return res.data;
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of the results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const LOGIN = 'mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { code } } }';
const REGISTER = 'mutation($i: RegisterInput!) { register(input: $i) { accessToken userErrors { code message } } }';
const CREATE_PRODUCT = 'mutation($i: ProductInput!) { createProduct(input: $i) { id } }';
const SET_STOCK = 'mutation($p: ID!, $n: Int!) { setStock(productId: $p, onHand: $n) { onHand } }';

/** An ADMIN written straight into the accounts database (as `npm start` seeds its dev admin), then signed in. */
export function adminToken(config: PlatformConfig, url: string): Promise<string> {
  return seededUserToken(config, url, 'ADMIN');
}

/** A user of `role` written straight into the accounts database, then signed in: only accounts signs tokens. */
export async function seededUserToken(config: PlatformConfig, url: string, role: Role): Promise<string> {
  const log = createLogger('bench', 'warn');
  const { orm } = await initORM({
    config, dbName: databaseName(config, 'accounts'), entities: accounts.entities, migrations: accounts.migrations, log, poolMax: 1,
  });
  const email = `${role.toLowerCase()}.${config.eventPrefix}@example.com`;
  const password = `bench-${role.toLowerCase()}-pass-1`;
  try {
    await ensureUser(orm, { email, password, name: `Bench ${role.toLowerCase()}`, role });
  } finally {
    await orm.close();
  }
  const payload = (await must(url, LOGIN, { i: { email, password } })).login;
  if (!payload.accessToken) throw new Error(`the benchmark ${role.toLowerCase()} could not sign in: ${JSON.stringify(payload.userErrors)}`);
  return payload.accessToken;
}

/** setStock answers NOT_FOUND until inventory has consumed catalog's product.created event. */
export async function setStockWhenKnown(url: string, token: string, productId: string, onHand: number): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await gql(url, SET_STOCK, { p: productId, n: onHand }, token);
    if (res.data?.setStock?.onHand === onHand) return;
    if (Date.now() > until) throw new Error(`inventory never accepted stock for ${productId}: ${JSON.stringify(res.errors)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const PASSWORD = 'bench-pass-123';

/** An operation answered, retried (with a growing pause) while the gateway says a subgraph is unavailable. */
async function patiently(url: string, query: string, variables: Record<string, unknown>, attempts = 8): Promise<any> {
  for (let attempt = 1; ; attempt++) {
    const res = await gql(url, query, variables);
    const unavailable = res.errors?.some((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
    if (!unavailable || attempt >= attempts) {
      if (res.errors?.length || !res.data) throw new Error(`operation failed: ${JSON.stringify(res.errors ?? res).slice(0, 500)}`);
      return res.data;
    }
    await new Promise((r) => setTimeout(r, 1000 * attempt));
  }
}

/**
 * Registers a customer and returns their token. On a busy machine the
 * gateway may give up on accounts (argon2id is slow) while the registration
 * still goes through: such an answer is retried, and a retry that finds the
 * e-mail taken signs in instead.
 */
async function registered(url: string, email: string, name: string): Promise<string> {
  const payload = (await patiently(url, REGISTER, { i: { email, password: PASSWORD, name } })).register;
  if (payload.accessToken) return payload.accessToken;
  const login = (await patiently(url, LOGIN, { i: { email, password: PASSWORD } })).login;
  if (!login.accessToken) throw new Error(`register refused: ${JSON.stringify(payload.userErrors)}`);
  return login.accessToken;
}

export interface SetupOptions { products: number; customers: number; stock: number; log: (line: string) => void }

export async function setUp(config: PlatformConfig, url: string, options: SetupOptions): Promise<Catalog> {
  const admin = await adminToken(config, url);
  const productIds = await mapLimit(Array.from({ length: options.products }, (_, i) => i), 4, async (i) => {
    const created = await must(url, CREATE_PRODUCT, {
      i: { name: `Bench product ${i + 1}`, description: 'Checkout benchmark', price: 1000 + 100 * i, currency: 'EUR' },
    }, admin);
    await setStockWhenKnown(url, admin, created.createProduct.id, options.stock);
    return created.createProduct.id as string;
  });
  options.log(`  ${productIds.length} products with ${options.stock} units each`);

  const methods = (await must(url, '{ shippingMethods(country: "FR") { id price { currency } } }', {})).shippingMethods;
  const shippingMethodId = methods.find((m: any) => m.price.currency === 'EUR')?.id;
  if (!shippingMethodId) throw new Error('no shipping method to FR priced in EUR');

  // argon2id takes 64 MiB and real CPU per hash: a few at a time, or registration starves everything else.
  const started = Date.now();
  const customers = await mapLimit(Array.from({ length: options.customers }, (_, i) => i), 4, async (i) => {
    const email = `customer${i + 1}.${config.eventPrefix}@example.com`;
    return { email, token: await registered(url, email, `Customer ${i + 1}`) };
  });
  options.log(`  ${customers.length} customers registered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { productIds, shippingMethodId, customers };
}
