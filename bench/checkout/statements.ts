import { SubgraphName } from '@shop/platform';

/**
 * SQL statements per database, read from each subgraph's /metrics
 * (`shop_db_statements_total`, counted on the ORM's connection, BEGIN and
 * COMMIT included): pg_stat_database counts transactions, not statements.
 */
export type StatementSnapshot = Map<string, number>;

export async function statementSnapshot(names: SubgraphName[], env: NodeJS.ProcessEnv): Promise<StatementSnapshot> {
  const out: StatementSnapshot = new Map();
  await Promise.all(names.map(async (name) => {
    const res = await fetch(`http://127.0.0.1:${env[`${name.toUpperCase()}_PORT`]}/metrics`).catch(() => null);
    if (!res?.ok) return;
    const text = await res.text();
    let total = 0;
    for (const m of text.matchAll(/^shop_db_statements_total\{[^}]*\} (\d+)/gm)) total += Number(m[1]);
    out.set(name, total);
  }));
  return out;
}

/** Statements per CONFIRMED order, by database, busiest first. */
export function statementLines(before: StatementSnapshot, after: StatementSnapshot, orders: number): string[] {
  return [...after].map(([db, n]) => [db, n - (before.get(db) ?? 0)] as const).sort((a, b) => b[1] - a[1])
    .map(([db, n]) => `  ${db.padEnd(14)} ${String(n).padStart(7)} statements (${orders > 0 ? (n / orders).toFixed(1) : '-'}/order)`);
}
