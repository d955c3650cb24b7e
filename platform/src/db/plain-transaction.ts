import type { MikroORM } from '@mikro-orm/postgresql';
import { ConnectionSource, poolOf, runOn } from './prepared';

/** Runs one statement of a plain transaction (`?` placeholders, as `em.execute`); its rows. */
export type PlainStatement = (sql: string, params?: readonly unknown[]) => Promise<Record<string, any>[]>;

/**
 * Runs `work` in a transaction on one connection of the ORM's pool, its
 * statements sent as `em.execute` sends them (prepared, counted), without
 * an EntityManager: for platform work that only runs SQL of its own (the
 * outbox relay), where the ORM's unit of work and knex's transaction add
 * nothing. Commits when `work` resolves, rolls back when it throws.
 */
export async function inPlainTransaction<T>(orm: MikroORM, work: (run: PlainStatement) => Promise<T>): Promise<T> {
  const knex = orm.em.getConnection().getKnex();
  const pool = poolOf(knex);
  const connection = await pool.acquireConnection();
  const held: ConnectionSource = { acquireConnection: async () => connection, releaseConnection: async () => undefined };
  const run: PlainStatement = async (sql, params = []) => (await runOn(knex, held, sql, params)).rows;
  try {
    await run('BEGIN');
    let result: T;
    try {
      result = await work(run);
    } catch (e) {
      // A connection that could not roll back may still be inside the transaction: the pool must not hand it out again.
      await run('ROLLBACK').catch((rollback: unknown) => { (connection as { __knex__disposed?: unknown }).__knex__disposed = rollback; });
      throw e;
    }
    await run('COMMIT');
    return result;
  } finally {
    await pool.releaseConnection(connection);
  }
}
