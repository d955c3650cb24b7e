import { Client } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { createLogger, databaseName, dropDatabase, initORM } from '@shop/platform';
import { testConfig } from '../support/stack';
import { eventually } from '../support/eventually';
import { logLines } from '../support/log-lines';

// knex warns when the pool finds a connection the database has ended; that warning belongs in the subgraph's
// structured log (one JSON line, its level and name), not on stdout as a bare coloured line.
const config = testConfig();
const dbName = databaseName(config, 'accounts');
const { lines, stream } = logLines();
let orm: MikroORM;
let admin: Client;

beforeAll(async () => {
  ({ orm } = await initORM({ config, dbName, entities: [], migrations: [], log: createLogger('accounts-db', 'info', { destination: stream }) }));
  const { host, port, user, password } = config.postgres;
  admin = new Client({ host, port, user, password, database: 'postgres' });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await orm?.close(true);
  await dropDatabase(config, dbName);
});

const backends = async () => (await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName])).rows;

it("writes knex's warning about a connection the database ended to the structured log, then serves on a new connection", async () => {
  const printed = jest.spyOn(console, 'log');
  try {
    expect(await orm.em.fork().execute('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(await backends()).not.toEqual([]);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [dbName]);
    await eventually(async () => (await backends()).length === 0, 'the backends ended');

    // The pool's client may hear of the end a moment after the server dropped it; a statement sent before that fails.
    await eventually(async () => (await orm.em.fork().execute('SELECT 2 AS two'))[0]?.two === 2, 'a statement on a new connection');
    expect(lines).toContainEqual(expect.objectContaining({
      level: 40, name: 'accounts-db', source: 'knex', msg: expect.stringMatching(/^Connection Error: ./),
    }));
    expect(printed.mock.calls.flat().filter((arg) => String(arg).includes('Connection Error'))).toEqual([]);
  } finally {
    printed.mockRestore();
  }
});
