import { Client } from 'pg';
import { databaseName } from '@shop/platform';
import { Stack, startStack } from '../support/stack';

/**
 * A subgraph whose database refuses connections (closed to connections,
 * out of connection slots, restarting) answers its fields with a retryable
 * SERVICE_UNAVAILABLE error, never an internal error, and serves again as
 * soon as the database does.
 */
let stack: Stack;
let admin: Client;
let catalogDb: string;

const LISTING = '{ products(first: 1) { totalCount } }';

async function closeDatabase(allow: boolean): Promise<void> {
  await admin.query(`ALTER DATABASE "${catalogDb}" ALLOW_CONNECTIONS ${allow}`);
  if (!allow) await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [catalogDb]);
}

beforeAll(async () => {
  stack = await startStack(['catalog']);
  catalogDb = databaseName(stack.config, 'catalog');
  const { host, port, user, password } = stack.config.postgres;
  admin = new Client({ host, port, user, password, database: 'postgres' });
  await admin.connect();
});
afterAll(async () => {
  await closeDatabase(true).catch(() => undefined);
  await admin?.end();
  await stack?.stop();
});

it('answers SERVICE_UNAVAILABLE while the database refuses connections, and serves again after', async () => {
  expect((await stack.gql(LISTING)).data).toEqual({ products: { totalCount: 0 } });

  await closeDatabase(false);
  // The first query may meet a connection the server has just terminated; both it and the next fail the same way.
  for (let i = 0; i < 2; i += 1) {
    const res = await stack.gql(LISTING);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([{
      message: 'Temporarily unavailable, try again shortly', path: ['products'],
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    }]);
  }

  await closeDatabase(true);
  expect((await stack.gql(LISTING)).data).toEqual({ products: { totalCount: 0 } });
});
