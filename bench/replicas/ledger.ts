import { Client } from 'pg';
import { PlatformConfig, databaseName } from '@shop/platform';
import { subgraphNames as names } from '../../subgraphs';

/**
 * What the run left in the databases, read once the saga has settled: every
 * order reached an outcome, and every effect happened exactly once however
 * the work was shared between replicas (or lost one mid-run). Each check
 * compares two subgraphs' own records of the same orders.
 */
export interface LedgerCheck { name: string; ok: boolean; detail: string }

async function query(config: PlatformConfig, subgraph: string, sql: string): Promise<Record<string, any>[]> {
  const { host, port, user, password } = config.postgres;
  const client = new Client({ host, port, user, password, database: databaseName(config, subgraph as any), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const one = async (config: PlatformConfig, subgraph: string, sql: string): Promise<number> =>
  Number(Object.values((await query(config, subgraph, sql))[0] ?? {})[0] ?? 0);

/** Events recorded in outboxes and not yet on NATS, across every database. */
export async function unpublishedEvents(config: PlatformConfig): Promise<number> {
  let total = 0;
  for (const name of names) {
    total += await one(config, name, 'SELECT count(*) FROM outbox_events WHERE published_at IS NULL').catch(() => 0);
  }
  return total;
}

/** Orders still waiting for the saga (PENDING). */
export const pendingOrders = (config: PlatformConfig) => one(config, 'orders', "SELECT count(*) FROM orders WHERE status = 'PENDING'");

export async function ledgerChecks(config: PlatformConfig, products: number, stockEach: number): Promise<LedgerCheck[]> {
  const byStatus = new Map((await query(config, 'orders', 'SELECT status, count(*)::int AS n FROM orders GROUP BY status'))
    .map((r) => [r.status as string, r.n as number]));
  const orders = [...byStatus.values()].reduce((a, b) => a + b, 0);
  const confirmed = orders - (byStatus.get('PENDING') ?? 0) - (byStatus.get('CANCELLED') ?? 0);
  const cancelled = byStatus.get('CANCELLED') ?? 0;
  const confirmedUnits = await one(config, 'orders',
    "SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.status NOT IN ('PENDING', 'CANCELLED')");
  const doubleConfirmed = await one(config, 'orders',
    "SELECT count(*) FROM (SELECT order_id FROM order_status_changes WHERE status = 'CONFIRMED' GROUP BY order_id HAVING count(*) > 1) d");
  const sold = await one(config, 'inventory', "SELECT count(*) FROM reservations WHERE status = 'SOLD'");
  const soldUnits = await one(config, 'inventory',
    "SELECT coalesce(sum(l.quantity), 0) FROM reservation_lines l JOIN reservations r USING (order_id) WHERE r.status = 'SOLD'");
  const held = await one(config, 'inventory', 'SELECT coalesce(sum(reserved), 0) FROM stock_levels');
  const onHand = await one(config, 'inventory', 'SELECT coalesce(sum(on_hand), 0) FROM stock_levels');
  const paid = await one(config, 'payments', "SELECT count(*) FROM payments WHERE status IN ('AUTHORIZED', 'CAPTURED')");
  const unpublished = await unpublishedEvents(config);
  const check = (name: string, ok: boolean, detail: string): LedgerCheck => ({ name, ok, detail });
  return [
    check('every order reached an outcome', (byStatus.get('PENDING') ?? 0) === 0,
      `${orders} orders: ${confirmed} confirmed, ${cancelled} cancelled, ${byStatus.get('PENDING') ?? 0} pending`),
    check('no order confirmed twice', doubleConfirmed === 0, `${doubleConfirmed} orders with more than one CONFIRMED change`),
    check('inventory sold each confirmed order once', sold === confirmed && soldUnits === confirmedUnits,
      `${sold} reservations SOLD (${soldUnits} units) for ${confirmed} confirmed orders (${confirmedUnits} units)`),
    check('stock moved by exactly what was sold', products * stockEach - onHand === soldUnits && held === 0,
      `${products * stockEach - onHand} units left the shelves, ${held} still reserved`),
    check('one payment per confirmed order', paid === confirmed, `${paid} authorized or captured payments`),
    check('every recorded event published', unpublished === 0, `${unpublished} outbox rows unpublished`),
  ];
}
