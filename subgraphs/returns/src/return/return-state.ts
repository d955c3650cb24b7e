import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { DeliveredOrder } from '../order/delivered-order.entity';
import { ReturnRequest } from './return-request.entity';

/**
 * Locks a delivered order for the rest of the transaction. Every change of
 * state of an order's returns (a request, an approval, a rejection, a
 * refund) takes this lock first, so they queue up per order: two requests
 * for the same line, or two approvals of the same return, run one after
 * the other and the second sees what the first did.
 */
export function lockOrder(em: EntityManager, orderId: string): Promise<DeliveredOrder | null> {
  return em.findOne(DeliveredOrder, { id: orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/**
 * Locks the order of a return, then reads the return (after the lock, so
 * as a concurrent change left it). Null when there is no such return.
 */
export async function lockReturn(em: EntityManager, returnId: string): Promise<{ order: DeliveredOrder; ret: ReturnRequest } | null> {
  const [row] = await em.execute<{ order_id: string }[]>('SELECT order_id FROM return_requests WHERE id = ?', [returnId]);
  if (!row) return null;
  const order = await lockOrder(em, row.order_id);
  const ret = await em.findOne(ReturnRequest, { id: returnId }, { refresh: true });
  return order && ret ? { order, ret } : null;
}

/** Returns of the order still waiting for a decision or a refund. */
export async function openReturns(em: EntityManager, orderId: string): Promise<number> {
  return em.count(ReturnRequest, { orderId, status: { $in: ['REQUESTED', 'APPROVED'] } });
}

/** Whether every line of the order is in a return of one of `statuses`. */
export async function everyLineIn(em: EntityManager, orderId: string, statuses: ReturnRequest['status'][]): Promise<boolean> {
  const [row] = await em.execute<{ missing: number }[]>(
    `SELECT count(*)::int AS missing FROM delivered_order_lines l
     WHERE l.order_id = ? AND NOT EXISTS (
       SELECT 1 FROM return_lines rl JOIN return_requests r ON r.id = rl.return_id
       WHERE rl.line_id = l.id AND r.status IN (${statuses.map(() => '?').join(', ')}))`,
    [orderId, ...statuses]);
  return row.missing === 0;
}
