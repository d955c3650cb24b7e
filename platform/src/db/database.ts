import { Client } from 'pg';
import { PlatformConfig } from '../config';

function adminClient(config: PlatformConfig): Client {
  const { host, port, user, password } = config.postgres;
  return new Client({ host, port, user, password, database: 'postgres', connectionTimeoutMillis: 5000 });
}

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkName(name: string): void {
  if (!SAFE_NAME.test(name)) throw new Error(`Refusing database name "${name}"`);
}

/** Creates the database when it does not exist yet. */
export async function ensureDatabase(config: PlatformConfig, name: string): Promise<void> {
  checkName(name);
  const client = adminClient(config);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (e: any) {
        // Two processes creating the same database at once: the loser sees a duplicate.
        if (e?.code !== '42P04' && e?.code !== '23505') throw e;
      }
    }
  } finally {
    await client.end();
  }
}

/** Drops a database, closing what is still connected to it (tests clean up with this). */
export async function dropDatabase(config: PlatformConfig, name: string): Promise<void> {
  checkName(name);
  const client = adminClient(config);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Runs `fn` (a subgraph's migrations) holding a session advisory lock on the
 * database, so that replicas starting together migrate one after the other:
 * the first applies what is new, the next ones find nothing left to do.
 * The lock lives on a connection of its own and ends with it, also when the
 * process dies while holding it.
 */
export async function whileHoldingMigrationLock<T>(config: PlatformConfig, name: string, fn: () => Promise<T>): Promise<T> {
  checkName(name);
  const { host, port, user, password } = config.postgres;
  const client = new Client({ host, port, user, password, database: name, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('shop.migrations'))");
    return await fn();
  } finally {
    await client.end();
  }
}
