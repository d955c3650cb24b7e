import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { OrderLineData, recordEvent } from '@shop/platform';
import { applyMovement, Movement } from '../stock/movement.service';
import { available } from '../stock/stock-level.entity';
import { Reservation, ReservationLine, ReservationStatus } from './reservation.entity';

/** Quantities per product, in product id order: every transaction locks products in the same order, so none deadlock. */
function byProduct(lines: { productId: string; quantity: number }[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.productId, (totals.get(l.productId) ?? 0) + l.quantity);
  return [...totals].sort(([a], [b]) => a.localeCompare(b));
}

class Shortage extends Error {
  constructor(readonly shortages: { productId: string; requested: number; available: number }[]) { super('shortage'); }
}

function lock(em: EntityManager, orderId: string): Promise<Reservation | null> {
  return em.findOne(Reservation, { orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

function record(em: EntityManager, orderId: string, status: ReservationStatus, expiresAt: Date): Reservation {
  const now = new Date();
  const reservation = em.create(Reservation, { orderId, status, expiresAt, createdAt: now, updatedAt: now });
  em.persist(reservation);
  return reservation;
}

/**
 * Reserves every line of an order, all or nothing: a short line rolls back
 * the lines reserved before it and the order is refused with every shortage.
 * Rows are locked per product, so concurrent orders can never oversell.
 */
export async function reserve(em: EntityManager, orderId: string, lines: OrderLineData[], ttlSeconds: number): Promise<void> {
  if (await lock(em, orderId)) return; // already handled, or cancelled before it arrived
  const wanted = byProduct(lines);
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  try {
    await em.transactional(async (tx) => {
      const shortages: Shortage['shortages'] = [];
      for (const [productId, quantity] of wanted) {
        const outcome = await applyMovement(tx, { productId, reason: 'RESERVE', reference: orderId, reservedBy: quantity });
        if (!outcome.ok) shortages.push({ productId, requested: quantity, available: outcome.current ? available(outcome.current) : 0 });
      }
      if (shortages.length) throw new Shortage(shortages);
      record(tx, orderId, 'RESERVED', expiresAt);
      tx.persist(wanted.map(([productId, quantity]) => tx.create(ReservationLine, { orderId, productId, quantity })));
      recordEvent(tx, 'inventory.stock.reserved', { orderId, expiresAt: expiresAt.toISOString() });
    });
  } catch (e) {
    if (!(e instanceof Shortage)) throw e;
    record(em, orderId, 'REFUSED', expiresAt);
    recordEvent(em, 'inventory.stock.reservation-failed', { orderId, shortages: e.shortages });
  }
}

async function moveLines(em: EntityManager, orderId: string, movement: (productId: string, quantity: number) => Movement): Promise<void> {
  const lines = await em.find(ReservationLine, { orderId }, { orderBy: { productId: 'ASC' } });
  for (const line of lines) {
    const outcome = await applyMovement(em, movement(line.productId, line.quantity));
    if (!outcome.ok) throw new Error(`stock movement for order ${orderId} refused: ${outcome.code}`);
  }
}

/** A confirmed order: its reserved units leave the warehouse's count (SALE). */
export async function sell(em: EntityManager, orderId: string): Promise<void> {
  const reservation = await lock(em, orderId);
  if (reservation?.status !== 'RESERVED') return;
  await moveLines(em, orderId, (productId, q) => ({ productId, reason: 'SALE', reference: orderId, onHand: { by: -q }, reservedBy: -q }));
  reservation.status = 'SOLD';
  reservation.updatedAt = new Date();
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
