import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { InboxClaim, NO_INBOX, newId } from '@shop/platform';
import { Shipment, ShipmentStatus } from './shipment.entity';
import { TrackingEvent } from './tracking-event.entity';

/** The order's shipment locked for update: shipping, delivering and cancelling one order queue up behind each other. */
export function lockShipment(em: EntityManager, orderId: string): Promise<Shipment | null> {
  return em.findOne(Shipment, { orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/**
 * Inserts the order's shipment unless it has one (a confirmation and a
 * cancellation may arrive at once: the unique order id decides, without an
 * error), then returns it locked, and whether this call created it.
 */
export async function insertShipment(
  em: EntityManager, row: { orderId: string; orderNumber: string | null; customerId: string; customerVerified: boolean; status: 'PENDING' | 'CANCELLED' },
): Promise<{ shipment: Shipment; created: boolean }> {
  const inserted = await em.execute(
    `INSERT INTO shipments (id, order_id, order_number, customer_id, customer_verified, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, now(), now()) ON CONFLICT (order_id) DO NOTHING RETURNING id`,
    [newId(), row.orderId, row.orderNumber, row.customerId, row.customerVerified, row.status]);
  const shipment = await lockShipment(em, row.orderId);
  if (!shipment) throw new Error(`shipment of order ${row.orderId} vanished`);
  return { shipment, created: inserted.length > 0 };
}

/**
 * The usual confirmation: the order has no shipment yet, and gets a PENDING
 * one with its first tracking step, in one statement. False when the order
 * has a shipment already (a cancellation or a hold got there first, or a
 * redelivery): nothing is written, and the caller looks at what is there.
 * With `inbox` (outside a transaction) an event handled before writes
 * nothing and answers true; one that writes claims its inbox row.
 */
export async function insertPendingShipment(
  em: EntityManager, row: { orderId: string; orderNumber: string; customerId: string }, note: string, inbox: InboxClaim = NO_INBOX,
): Promise<boolean> {
  const [result] = await em.execute<{ done: boolean }[]>(
    `WITH ${inbox.seenCte}shipment AS (
       INSERT INTO shipments (id, order_id, order_number, customer_id, customer_verified, status, created_at, updated_at)
       SELECT ?, ?, ?, ?, true, 'PENDING', now(), now() WHERE true ${inbox.unseen} ON CONFLICT (order_id) DO NOTHING RETURNING id
     ), tracked AS (
       INSERT INTO tracking_events (id, shipment_id, status, note, at) SELECT ?, id, 'PENDING', ?, ? FROM shipment
     )${inbox.claimCte('shipment')}
     SELECT EXISTS (SELECT 1 FROM shipment) OR ${inbox.seenBefore} AS done`,
    [...inbox.seenParams, newId(), row.orderId, row.orderNumber, row.customerId, newId(), note, new Date(), ...inbox.claimParams]);
  return Boolean(result?.done);
}

/** Appends a step to the shipment's journey. */
export function track(em: EntityManager, shipment: Shipment, status: ShipmentStatus, note: string, at = new Date()): void {
  em.persist(em.create(TrackingEvent, { id: newId(), shipmentId: shipment.id, status, note, at }));
}
