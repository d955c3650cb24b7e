import { Client } from 'pg';
import { PlatformConfig } from '@shop/platform';

/**
 * Transactions and row writes per database over the load window, from
 * pg_stat_database: how chatty each subgraph is with PostgreSQL per order
 * (every statement outside BEGIN...COMMIT counts as a transaction of its
 * own). A connection that goes idle reports its counters up to ~10 s late
 * (PostgreSQL 15+), so short windows and the idle one are approximate.
 */
export type PgSnapshot = Map<string, { commits: number; rollbacks: number; writes: number }>;

export async function pgSnapshot(config: PlatformConfig): Promise<PgSnapshot> {
  const { host, port, user, password } = config.postgres;
  const client = new Client({ host, port, user, password, database: 'postgres', connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT datname, xact_commit, xact_rollback, tup_inserted + tup_updated + tup_deleted AS writes
       FROM pg_stat_database WHERE starts_with(datname, $1)`, [config.databasePrefix]);
    return new Map(rows.map((r) => [String(r.datname).slice(config.databasePrefix.length), {
      commits: Number(r.xact_commit), rollbacks: Number(r.xact_rollback), writes: Number(r.writes),
    }]));
  } finally {
    await client.end();
  }
}

/** One line per database, busiest first, normalised per CONFIRMED order. */
export function pgLines(before: PgSnapshot, after: PgSnapshot, orders: number): string[] {
  const rows = [...after].map(([db, end]) => {
    const start = before.get(db) ?? { commits: 0, rollbacks: 0, writes: 0 };
    return { db, commits: end.commits - start.commits, rollbacks: end.rollbacks - start.rollbacks, writes: end.writes - start.writes };
  }).sort((a, b) => b.commits - a.commits);
  const per = (n: number) => (orders > 0 ? (n / orders).toFixed(1) : '-');
  return rows.map((r) => `  ${r.db.padEnd(14)} ${String(r.commits).padStart(7)} transactions (${per(r.commits)}/order)  ${String(r.writes).padStart(7)} rows written (${per(r.writes)}/order)${r.rollbacks ? `  ${r.rollbacks} rollbacks` : ''}`);
}
