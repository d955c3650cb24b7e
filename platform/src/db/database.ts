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
