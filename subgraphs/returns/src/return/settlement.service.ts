import { EntityManager } from '@mikro-orm/postgresql';
import { Logger, money, recordEvent } from '@shop/platform';
import { everyLineIn, lockReturn, openReturns } from './return-state';

/**
 * Payments paid a return's money back: APPROVED → REFUNDED, once. A second
 * refund event for the same return (a repeat, a redelivery under another
 * id) finds it REFUNDED and changes nothing.
 */
export async function recordRefund(em: EntityManager, refund: { orderId: string; returnId: string; amount: number }, log: Logger): Promise<void> {
  const { returnId, amount } = refund;
  const locked = await lockReturn(em, returnId);
  if (!locked || locked.order.id !== refund.orderId) {
    log.error({ returnId }, 'a refund names a return of another order, or one returns does not know; ignoring it');
    return;
  }
  const { order, ret } = locked;
  if (ret.status !== 'APPROVED') {
    if (ret.status !== 'REFUNDED') log.error({ returnId, status: ret.status }, 'a refund for a return that was not approved; ignoring it');
    return;
  }
  ret.status = 'REFUNDED';
  ret.refundedAmount = amount;
  ret.refundedAt = new Date();
  await em.flush();
  recordEvent(em, 'returns.return.refunded', {
    returnId, orderId: order.id, orderNumber: order.number, customerId: order.customerId, amount: money(amount, order.currency),
    allLinesReturned: await everyLineIn(em, order.id, ['REFUNDED']),
    openReturns: await openReturns(em, order.id),
  });
}

/** Inventory put the return's lines back on the shelf: remember when, the first time only. */
export async function recordRestock(em: EntityManager, returnId: string, at: Date): Promise<void> {
  await em.execute('UPDATE return_requests SET restocked_at = ? WHERE id = ? AND restocked_at IS NULL', [at, returnId]);
}
