import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '@shop/platform';
import { Shipment } from './shipment.entity';

/**
 * Loads shipments by order id, one statement per tick however many orders
 * a request names; an order without one (or an id that cannot name one,
 * which never reaches the database) loads as null.
 */
export function shipmentByOrderLoader(em: EntityManager): DataLoader<string, Shipment | null> {
  return new DataLoader(async (orderIds) => {
    const ids = orderIds.filter(isId);
    const rows = ids.length ? await em.find(Shipment, { orderId: { $in: ids } }) : [];
    const byOrder = new Map(rows.map((s) => [s.orderId, s]));
    return orderIds.map((id) => byOrder.get(id) ?? null);
  });
}
