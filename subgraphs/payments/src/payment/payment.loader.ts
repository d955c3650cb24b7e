import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '@shop/platform';
import { Payment, SettledPayment, isSettled } from './payment.entity';

/**
 * Loads payments by order id, one statement per tick however many orders a
 * request names; an order without a payment (or with an id that cannot name
 * one, which never reaches the database) loads as null.
 */
export function paymentByOrderLoader(em: EntityManager): DataLoader<string, SettledPayment | null> {
  return new DataLoader(async (orderIds) => {
    const ids = orderIds.filter(isId);
    const rows = ids.length ? await em.find(Payment, { orderId: { $in: ids } }) : [];
    const byOrder = new Map(rows.filter(isSettled).map((payment) => [payment.orderId, payment]));
    return orderIds.map((id) => byOrder.get(id) ?? null);
  });
}
