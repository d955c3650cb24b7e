import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';

/**
 * Named prepared statements. PostgreSQL parses and plans a statement sent
 * by text every time; a named one is parsed once per connection and, after
 * a few runs, planned once too. Every statement with parameters that the
 * ORM's connections run is sent named (`preparingConnections`), but those
 * whose result columns could change under them (`*`): after a migration adds
 * a column, PostgreSQL refuses to run such a plan ("cached plan must not
 * change result type"). Statement texts are few (a service builds a bounded
 * set of shapes); past MAX_NAMED distinct texts, new ones go unnamed.
 */
const names = new Map<string, string | null>();
/** `?` placeholders numbered (`$1`...), by statement. */
const numbered = new Map<string, string>();
const MAX_NAMED = 1000;

/** Result columns named by `*` (`SELECT *`, `t.*`, `RETURNING *`); `count(*)` is not one. */
const STAR_COLUMNS = /(?:select|returning|,)\s*(?:\w+\.)?\*/i;

function nameOf(text: string): string | null {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMED) return null;
    name = STAR_COLUMNS.test(text) ? null : `shop_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

interface QueryConfig { text: string; values?: unknown[]; name?: string }
export interface PgConnection { query(config: unknown, ...rest: unknown[]): unknown }

/**
 * The pool's `afterCreate`: every statement with parameters this connection
 * runs (the ORM's, knex.raw's, in transactions or not) is sent as a named
 * prepared statement.
 */
export function preparingConnections(connection: PgConnection, done: (error: Error | null, connection: PgConnection) => void): void {
  const query = connection.query.bind(connection);
  connection.query = (config: unknown, ...rest: unknown[]) => {
    const c = config as QueryConfig;
    if (c && typeof c === 'object' && typeof c.text === 'string' && c.name === undefined && c.values && c.values.length > 0) {
      const name = nameOf(c.text);
      if (name) c.name = name;
    }
    return query(config, ...rest);
  };
  done(null, connection);
}

/** The statement with its `?` placeholders numbered (`$1`...), as PostgreSQL takes it; the SQL holds no other `?`. */
function numberedText(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size < MAX_NAMED) numbered.set(sql, text);
  }
  return text;
}

export interface ConnectionSource { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<void> }

/**
 * Runs one statement (`?` placeholders, like `knex.raw`; no other `?` in
 * the SQL) straight on a connection of `source` (the ORM's pool, or a
 * transaction's client, which hands out the transaction's connection),
 * prepared like every other statement (`preparingConnections`), without
 * knex's query building and running. Counted with the ORM's statements.
 */
export async function runOn(knex: Knex, source: ConnectionSource, sql: string, bindings: readonly unknown[]): Promise<{ rows: Record<string, any>[] }> {
  const text = numberedText(sql);
  const connection = await source.acquireConnection();
  try {
    (knex as unknown as NodeJS.EventEmitter).emit('query', { sql: text, bindings, method: 'raw' });
    return await (connection.query({ text, values: bindings }) as Promise<{ rows: Record<string, any>[] }>);
  } finally {
    await source.releaseConnection(connection);
  }
}

export const poolOf = (knex: Knex) => (knex as unknown as { client: ConnectionSource }).client;

/**
 * Runs a read of the ORM's pool straight on a pooled connection (`runOn`):
 * for the hottest read paths. Outside any transaction.
 */
export async function preparedRows(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<Record<string, any>[]> {
  return (await runOn(knex, poolOf(knex), sql, bindings)).rows;
}

type Scalar = string | number | boolean | bigint | Date | null;
const SCALAR_TYPES = new Set(['string', 'number', 'boolean', 'bigint']);
const isScalar = (v: unknown): v is Scalar => v === null || v instanceof Date || SCALAR_TYPES.has(typeof v);
/** Dates as UTC ISO text (the instant for timestamptz, UTC wall time for timestamp), as the ORM writes them. */
const asParameter = (v: Scalar) => (v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v);

interface SqlConnection {
  execute(query: unknown, params?: unknown[], method?: string, ctx?: unknown, loggerContext?: unknown): Promise<unknown>;
}
interface SqlConnectionInternals extends SqlConnection {
  ensureConnection(): Promise<void>;
  executeQuery<T>(query: string, cb: () => Promise<T>, context?: unknown): Promise<T>;
  getKnex(): Knex;
  transformRawResult<T>(res: unknown, method: string): T;
}

/**
 * MikroORM inlines the parameters of every statement it runs (its own and
 * `em.execute`'s) into the SQL text, so each is parsed and planned afresh
 * and none can be prepared. On this connection, a statement whose
 * parameters are all scalars (strings, numbers, booleans, dates, null) is
 * sent with them as parameters instead, which `preparingConnections` then
 * names, and straight to its connection (`runOn`: the pool's, or its
 * transaction's): knex only builds queries the ORM makes itself. Others
 * (arrays expanded into lists, `??` identifiers) keep the ORM's inlining.
 * Logging, exception conversion and results are the ORM's.
 */
export function sendingParameters(connection: SqlConnection): void {
  const c = connection as SqlConnectionInternals;
  const inline = c.execute.bind(c);
  c.execute = async (query, params = [], method = 'all', ctx, loggerContext) => {
    if (typeof query !== 'string' || params.length === 0 || !params.every(isScalar) || query.includes('??') || query.includes('\\?')) {
      return inline(query, params, method, ctx, loggerContext);
    }
    await c.ensureConnection();
    const values = (params as Scalar[]).map(asParameter);
    const knex = c.getKnex();
    const trx = ctx as (Knex.Transaction & { client: ConnectionSource }) | undefined;
    return c.executeQuery(query, async () => {
      // As knex does: a transaction that committed or rolled back runs nothing more (its connection went back to the pool).
      if (trx?.isCompleted()) throw new Error('Transaction query already complete');
      return c.transformRawResult(await runOn(knex, trx ? trx.client : poolOf(knex), query, values), method);
    }, { query, params, ...(loggerContext as object) });
  };
}
