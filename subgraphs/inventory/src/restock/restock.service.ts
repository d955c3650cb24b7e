import { EntityManager } from '@mikro-orm/postgresql';
import { Logger, recordEvent } from '@shop/platform';
import { applyMovement } from '../stock/movement.service';
import { ReturnApproved } from './restock.validation';

/** Quantities per product, in product id order: every transaction locks products in the same order, so none deadlock. */
function byProduct(lines: { productId: string; quantity: number }[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.productId, (totals.get(l.productId) ?? 0) + l.quantity);
  return [...totals].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * An approved return: its units go back on hand (RETURN movements referencing
 * the return), once per return. The claim row keyed on the return id is
 * inserted first, so a redelivery, a repeat of the approval or a concurrent
 * copy finds it (or waits on it) and restocks nothing; the restock event is
 * recorded in the same transaction.
 */
export async function restockReturn(em: EntityManager, approved: ReturnApproved, log: Logger): Promise<boolean> {
  const claimed = await em.execute(
    'INSERT INTO return_restocks (return_id, order_id, created_at) VALUES (?, ?, now()) ON CONFLICT (return_id) DO NOTHING RETURNING return_id',
    [approved.returnId, approved.orderId]);
  if (claimed.length === 0) return false;
  for (const [productId, quantity] of byProduct(approved.lines)) {
    const outcome = await applyMovement(em, { productId, reason: 'RETURN', reference: approved.returnId, onHand: { by: quantity } });
    // A product inventory never heard of was never sold from here either: there is nothing to put back.
    if (!outcome.ok && outcome.code === 'UNKNOWN_PRODUCT') {
      log.error({ returnId: approved.returnId, productId }, 'a returned product inventory does not know; not restocked');
      continue;
    }
    // Rolls the claim back too, so the event is retried.
    if (!outcome.ok) throw new Error(`restocking return ${approved.returnId} refused for product ${productId}: ${outcome.code}`);
  }
  recordEvent(em, 'inventory.return.restocked', { returnId: approved.returnId, orderId: approved.orderId });
  return true;
}
