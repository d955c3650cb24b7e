import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { InboxClaim, NO_INBOX, OUTBOX_COLUMNS, OrderLineData, isId, newId, outboxRow, recordEvent } from '@shop/platform';
import { Movement, PlannedMovement, applyMovement, planMovement, writeMovement } from '../stock/movement.service';
import { available } from '../stock/stock-level.entity';
import { Reservation, ReservationStatus } from './reservation.entity';

/** Quantities per product, in product id order: every transaction locks products in the same order, so none deadlock. */
function byProduct(lines: { productId: string; quantity: number }[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.productId, (totals.get(l.productId) ?? 0) + l.quantity);
  return [...totals].sort(([a], [b]) => a.localeCompare(b));
}

type Shortages = { productId: string; requested: number; available: number }[];

function lock(em: EntityManager, orderId: string): Promise<Reservation | null> {
  return em.findOne(Reservation, { orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** Whether the order has a reservation row (of any status), locking it when it has. */
async function lockExisting(em: EntityManager, orderId: string): Promise<boolean> {
  const rows = await em.execute('SELECT 1 FROM reservations WHERE order_id = ? FOR UPDATE', [orderId]);
  return rows.length > 0;
}

async function insertReservation(em: EntityManager, orderId: string, status: ReservationStatus, expiresAt: Date): Promise<void> {
  await em.execute(
    'INSERT INTO reservations (order_id, status, expires_at, created_at, updated_at) VALUES (?, ?, ?, now(), now())',
    [orderId, status, expiresAt]);
}

function record(em: EntityManager, orderId: string, status: ReservationStatus, expiresAt: Date): Reservation {
  const now = new Date();
  const reservation = em.create(Reservation, { orderId, status, expiresAt, createdAt: now, updatedAt: now });
  em.persist(reservation);
  return reservation;
}

/**
 * Reserves every line of an order, all or nothing: every product is locked
 * (in id order) and checked first, and only when every line fits is
 * anything written; otherwise the order is refused with every shortage.
 * The product locks hold until the transaction ends, so concurrent orders
 * can never oversell.
 */
export async function reserve(em: EntityManager, orderId: string, lines: OrderLineData[], ttlSeconds: number): Promise<void> {
  const wanted = byProduct(lines);
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  if (wanted.length === 1) {
    const outcome = await reserveOneProduct(em, orderId, wanted[0]!, expiresAt);
    if (outcome !== 'not written') return;
  } else if (await lockExisting(em, orderId)) {
    return;
  }
  const planned: Extract<PlannedMovement, { ok: true }>[] = [];
  const shortages: Shortages = [];
  for (const [productId, quantity] of wanted) {
    const plan = await planMovement(em, { productId, reason: 'RESERVE', reference: orderId, reservedBy: quantity });
    if (plan.ok) planned.push(plan);
    else shortages.push({ productId, requested: quantity, available: plan.current ? available(plan.current) : 0 });
  }
  if (shortages.length) {
    await insertReservation(em, orderId, 'REFUSED', expiresAt);
    recordEvent(em, 'inventory.stock.reservation-failed', { orderId, shortages });
    return;
  }
  for (const plan of planned) await writeMovement(em, plan);
  // The reservation, its lines and its event in one statement (the lines' foreign key is checked at commit).
  const event = outboxRow('inventory.stock.reserved', { orderId, expiresAt: expiresAt.toISOString() });
  const lineValues = wanted.map(() => '(?, ?, ?)').join(', ');
  await em.execute(
    `WITH reservation AS (
       INSERT INTO reservations (order_id, status, expires_at, created_at, updated_at) VALUES (?, 'RESERVED', ?, now(), now())
     )${wanted.length ? `, reserved_lines AS (INSERT INTO reservation_lines (order_id, product_id, quantity) VALUES ${lineValues})` : ''}
     INSERT INTO outbox_events ${OUTBOX_COLUMNS} VALUES ${event.placeholders}`,
    [orderId, expiresAt, ...wanted.flatMap(([productId, quantity]) => [orderId, productId, quantity]), ...event.params]);
}

/**
 * `reserve` outside a transaction, for the usual order (one product, its
 * units there): one statement that also skips an event handled before and
 * claims it. 'use handle' when it wrote nothing and `reserve` must run.
 */
export async function reserveAtOnce(
  em: EntityManager, orderId: string, lines: OrderLineData[], ttlSeconds: number, inbox: InboxClaim,
): Promise<'handled' | 'use handle'> {
  const wanted = byProduct(lines);
  if (wanted.length !== 1 || !isId(wanted[0]![0])) return 'use handle';
  const outcome = await reserveOneProduct(em, orderId, wanted[0]!, new Date(Date.now() + ttlSeconds * 1000), inbox);
  return outcome === 'not written' ? 'use handle' : 'handled';
}

/**
 * An order of one product reserved in one statement, when its units are
 * there: the product's lock (the same per-product mutex every movement
 * takes), the stock level moved by an UPDATE (which, having waited for the
 * lock, applies to the level as the lock's previous holder left it, not to
 * the statement's snapshot), its ledger row, its `inventory.stock.changed`,
 * the reservation with its line and `inventory.stock.reserved`. 'handled'
 * when the order has a reservation row already (handled before, or
 * cancelled before it arrived): nothing is written, the row is locked.
 * 'not written' when nothing was written for another reason (not enough
 * available, or no level yet): the caller then plans the reservation
 * movement by movement, which explains a refusal. With `inbox` (outside a
 * transaction) an event handled before is 'handled' too, and the statement
 * claims the event when it reserves.
 */
async function reserveOneProduct(
  em: EntityManager, orderId: string, [productId, quantity]: [string, number], expiresAt: Date, inbox: InboxClaim = NO_INBOX,
): Promise<'reserved' | 'handled' | 'not written'> {
  if (!isId(productId)) return await lockExisting(em, orderId) ? 'handled' : 'not written';
  const now = new Date();
  // The payload's counts are only known inside the statement: they are merged over these placeholders there.
  const changed = outboxRow('inventory.stock.changed', { productId, onHand: 0, reserved: 0, available: 0, reason: 'RESERVE', version: 0 });
  const reserved = outboxRow('inventory.stock.reserved', { orderId, expiresAt: expiresAt.toISOString() });
  const [outcome] = await em.execute<{ handled: boolean; reserved: boolean }[]>(
    `WITH ${inbox.seenCte}existing AS (
       SELECT order_id FROM reservations WHERE order_id = ? FOR UPDATE
     ), locked AS (
       SELECT id FROM products WHERE id = ? AND NOT EXISTS (SELECT 1 FROM existing)
       ${inbox.unseen} FOR NO KEY UPDATE
     ), level AS (
       UPDATE stock_levels s SET reserved = s.reserved + ?, version = s.version + 1, updated_at = ?
       FROM locked WHERE s.product_id = locked.id AND s.reserved + ? <= s.on_hand
       RETURNING s.product_id, s.on_hand, s.reserved, s.version
     ), ledger AS (
       INSERT INTO stock_movements (id, product_id, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version, reason, reference, created_at)
       SELECT ?, product_id, 0, ?, on_hand, reserved, version, 'RESERVE', ?, ? FROM level
     ), changed_event AS (
       INSERT INTO outbox_events ${OUTBOX_COLUMNS}
       SELECT ?, ?, ?::jsonb || jsonb_build_object('onHand', on_hand, 'reserved', reserved, 'available', on_hand - reserved, 'version', version),
         ?, NULL, ?, ? FROM level
       RETURNING id
     ), reservation AS (
       INSERT INTO reservations (order_id, status, expires_at, created_at, updated_at) SELECT ?, 'RESERVED', ?, now(), now() FROM level
     ), reserved_line AS (
       INSERT INTO reservation_lines (order_id, product_id, quantity) SELECT ?, product_id, ? FROM level
     ), reserved_event AS (
       INSERT INTO outbox_events ${OUTBOX_COLUMNS} SELECT ${reserved.selectList} FROM changed_event
     )${inbox.claimCte('level')}
     SELECT EXISTS (SELECT 1 FROM existing) OR ${inbox.seenBefore} AS handled, EXISTS (SELECT 1 FROM level) AS reserved`,
    [...inbox.seenParams, orderId, productId, quantity, now, quantity,
      newId(), quantity, orderId, now,
      ...changed.params,
      orderId, expiresAt,
      orderId, quantity,
      ...reserved.params, ...inbox.claimParams]);
  return outcome!.handled ? 'handled' : outcome!.reserved ? 'reserved' : 'not written';
}

type HeldLine = { product_id: string; quantity: number };

async function moveLines(
  em: EntityManager, orderId: string, movement: (productId: string, quantity: number) => Movement, held?: HeldLine[],
): Promise<void> {
  const lines = held ?? await em.execute<HeldLine[]>(
    'SELECT product_id, quantity FROM reservation_lines WHERE order_id = ? ORDER BY product_id', [orderId]);
  for (const line of lines) {
    const outcome = await applyMovement(em, movement(line.product_id, line.quantity));
    if (!outcome.ok) throw new Error(`stock movement for order ${orderId} refused: ${outcome.code}`);
  }
}

/**
 * A confirmed order: its reserved units leave the warehouse's count (SALE),
 * in one statement. The reservation is locked and moved on; its products are
 * locked in id order (the per-product mutex every movement takes); each
 * stock level is moved by an UPDATE, which, having waited for the row,
 * applies to the level as the previous holder left it; each gets its ledger
 * row and its `inventory.stock.changed`. A level that cannot give up its
 * units breaks the table's checks, and a missing level the statement's
 * last cast, which fails the whole statement: nothing is written and the
 * event is retried. With `inbox`
 * (handled outside a transaction) the statement also skips an event handled
 * before and claims it.
 */
export async function sell(em: EntityManager, orderId: string, inbox: InboxClaim = NO_INBOX): Promise<void> {
  const now = new Date();
  // One template for every line's event: its payload's counts are merged over these placeholders in the statement.
  const changed = outboxRow('inventory.stock.changed', { productId: '', onHand: 0, reserved: 0, available: 0, reason: 'SALE', version: 0 });
  const [, type, payload, occurredAt, requestId, traceContext] = changed.params;
  await em.execute(
    `WITH ${inbox.seenCte}sold AS (
       UPDATE reservations SET status = 'SOLD', updated_at = now() WHERE order_id = ? AND status = 'RESERVED'
       ${inbox.unseen} RETURNING order_id
     ), locked AS (
       SELECT p.id, l.quantity FROM reservation_lines l JOIN sold ON sold.order_id = l.order_id JOIN products p ON p.id = l.product_id
       ORDER BY p.id FOR NO KEY UPDATE OF p
     ), level AS (
       UPDATE stock_levels s SET on_hand = s.on_hand - locked.quantity, reserved = s.reserved - locked.quantity, version = s.version + 1, updated_at = ?
       FROM locked WHERE s.product_id = locked.id
       RETURNING s.product_id, s.on_hand, s.reserved, s.version
     ), ledger AS (
       INSERT INTO stock_movements (id, product_id, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version, reason, reference, created_at)
       SELECT gen_random_uuid(), level.product_id, -locked.quantity, -locked.quantity, level.on_hand, level.reserved, level.version, 'SALE', ?, ?
       FROM level JOIN locked ON locked.id = level.product_id
     ), changed_events AS (
       INSERT INTO outbox_events ${OUTBOX_COLUMNS}
       SELECT gen_random_uuid(), ?, ?::jsonb || jsonb_build_object('productId', product_id, 'onHand', on_hand, 'reserved', reserved,
         'available', on_hand - reserved, 'version', version), ?, NULL, ?, ?
       FROM level ORDER BY product_id
     )${inbox.claimCte('sold')}
     -- The cast of a sentence to int fails the statement; it reads a CTE, so the planner cannot evaluate it up front.
     SELECT CASE WHEN (SELECT count(*) FROM level) = (SELECT count(*) FROM locked) THEN 0
       ELSE (SELECT 'the sale of order ' || order_id::text || ' found a product without a stock level' FROM sold)::int END AS failed`,
    [...inbox.seenParams, orderId, now, orderId, now, type, payload, occurredAt, requestId, traceContext, ...inbox.claimParams]);
}

/** A cancelled order: held units are released, sold units come back (RETURN). */
export async function releaseOrReturn(em: EntityManager, orderId: string): Promise<void> {
  const reservation = await lock(em, orderId);
  if (!reservation) {
    record(em, orderId, 'VOIDED', new Date());
    return;
  }
  if (reservation.status === 'RESERVED') {
    await moveLines(em, orderId, (productId, q) => ({ productId, reason: 'RELEASE', reference: orderId, reservedBy: -q }));
    reservation.status = 'RELEASED';
  } else if (reservation.status === 'SOLD') {
    await moveLines(em, orderId, (productId, q) => ({ productId, reason: 'RETURN', reference: orderId, onHand: { by: q } }));
    reservation.status = 'RETURNED';
  } else {
    return;
  }
  reservation.updatedAt = new Date();
}

/** Releases one reservation whose deadline passed; its order is cancelled on the expired event. */
export async function expire(em: EntityManager, orderId: string): Promise<boolean> {
  const reservation = await lock(em, orderId);
  if (reservation?.status !== 'RESERVED' || reservation.expiresAt.getTime() > Date.now()) return false;
  await moveLines(em, orderId, (productId, q) => ({ productId, reason: 'RELEASE', reference: orderId, reservedBy: -q }));
  reservation.status = 'EXPIRED';
  reservation.updatedAt = new Date();
  recordEvent(em, 'inventory.reservation.expired', { orderId });
  return true;
}

/** Orders whose reservations are past their deadline. */
export async function overdueReservations(em: EntityManager, limit = 100): Promise<string[]> {
  const rows = await em.find(Reservation, { status: 'RESERVED', expiresAt: { $lt: new Date() } }, { limit, fields: ['orderId'] });
  return rows.map((r) => r.orderId);
}
