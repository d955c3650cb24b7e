import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';

interface PreparedText { name: string; text: string }

/** Statement texts seen so far, with their names and `$n` placeholders; read paths build few distinct texts. */
const prepared = new Map<string, PreparedText>();
const MAX_TEXTS = 2000;

function preparedText(sql: string): PreparedText {
  let known = prepared.get(sql);
  if (!known) {
    let n = 0;
    known = { name: `shop_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`, text: sql.replace(/\?/g, () => `$${++n}`) };
    if (prepared.size >= MAX_TEXTS) prepared.delete(prepared.keys().next().value!);
    prepared.set(sql, known);
  }
  return known;
}

interface PgConnection { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, any>[] }> }

/**
 * Runs a read-only statement of the ORM's pool as a named prepared statement
 * (`?` placeholders, like `knex.raw`; the SQL must hold no other `?`):
 * PostgreSQL parses it once per connection and, after a few runs, plans it
 * once too, where `knex.raw` has every run parsed and planned anew. For hot
 * read paths whose planning costs more than their execution (a listing of
 * joins and subqueries). Outside any transaction, on a connection of the
 * pool; counted with the ORM's statements.
 */
export async function preparedRows(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<Record<string, any>[]> {
  const { name, text } = preparedText(sql);
  const client = (knex as unknown as { client: { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<void> } }).client;
  const connection = await client.acquireConnection();
  try {
    (knex as unknown as NodeJS.EventEmitter).emit('query', { sql: text, bindings, method: 'raw' });
    return (await connection.query({ name, text, values: bindings as unknown[] })).rows;
  } finally {
    await client.releaseConnection(connection);
  }
}
