/** What one replica did, from its /metrics counters. */
export interface ReplicaCounters {
  requests: number;
  eventsHandled: number;
  duplicates: number;
  redeliveries: number;
  statements: number;
}

export const noCounters = (): ReplicaCounters => ({ requests: 0, eventsHandled: 0, duplicates: 0, redeliveries: 0, statements: 0 });

function sum(text: string, metric: string, labelFilter?: RegExp): number {
  let total = 0;
  for (const m of text.matchAll(new RegExp(`^${metric}(\\{[^}]*\\})? (\\d+(?:\\.\\d+)?)`, 'gm'))) {
    if (!labelFilter || labelFilter.test(m[1] ?? '')) total += Number(m[2]);
  }
  return total;
}

/** The replica's counters now, or null when it does not answer (stopped, restarting). */
export async function readCounters(port: number): Promise<ReplicaCounters | null> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(3000) }).catch(() => null);
  if (!res?.ok) return null;
  const text = await res.text();
  return {
    requests: sum(text, 'shop_graphql_requests_total'),
    eventsHandled: sum(text, 'shop_events_handled_total', /outcome="ok"/),
    duplicates: sum(text, 'shop_events_handled_total', /outcome="duplicate"/),
    redeliveries: sum(text, 'shop_event_redeliveries_total'),
    statements: sum(text, 'shop_db_statements_total'),
  };
}

export function addCounters(a: ReplicaCounters, b: ReplicaCounters, sign = 1): ReplicaCounters {
  return {
    requests: a.requests + sign * b.requests,
    eventsHandled: a.eventsHandled + sign * b.eventsHandled,
    duplicates: a.duplicates + sign * b.duplicates,
    redeliveries: a.redeliveries + sign * b.redeliveries,
    statements: a.statements + sign * b.statements,
  };
}
