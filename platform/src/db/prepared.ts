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
interface PgConnection { query(config: unknown, ...rest: unknown[]): unknown }

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

/**
 * Runs a read of the ORM's pool (`?` placeholders, like `knex.raw`; the SQL
 * holds no other `?`) straight on a pooled connection, prepared like every
 * other statement, without knex's query building: for the hottest read
 * paths, whose long statements knex would rewrite on every run. Outside any
 * transaction; counted with the ORM's statements.
 */
export async function preparedRows(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<Record<string, any>[]> {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size < MAX_NAMED) numbered.set(sql, text);
  }
  const client = (knex as unknown as { client: { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<void> } }).client;
  const connection = await client.acquireConnection();
  try {
    (knex as unknown as NodeJS.EventEmitter).emit('query', { sql: text, bindings, method: 'raw' });
    // The connection names it (preparingConnections).
    return (await (connection.query({ text, values: bindings }) as Promise<{ rows: Record<string, any>[] }>)).rows;
  } finally {
    await client.releaseConnection(connection);
  }
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
 * names; others (arrays expanded into lists, `??` identifiers) keep the
 * ORM's inlining. Logging, exception conversion and results are the ORM's.
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
    return c.executeQuery(query, async () => {
      const raw = c.getKnex().raw(query, values as Knex.RawBinding[]);
      if (ctx) raw.transacting(ctx as Knex.Transaction);
      return c.transformRawResult(await raw, method);
    }, { query, params, ...(loggerContext as object) });
  };
}
