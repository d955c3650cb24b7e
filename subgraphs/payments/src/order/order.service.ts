import { forbidden, requireViewer } from '@shop/platform';
import { PaymentsContext } from '../context';
import { SettledPayment } from '../payment/payment.entity';

/** An order as payments sees it: an id (orders owns everything else). */
export interface OrderRef { id: string }

export function orderRef(id: string): OrderRef {
  return { id };
}

/**
 * The order's payment, for its customer and ADMINs only. The check runs
 * here, in the subgraph, so it holds when `_entities` is called directly,
 * not only behind the orders subgraph's own checks at the gateway.
 */
export async function orderPayment(ctx: PaymentsContext, order: OrderRef): Promise<SettledPayment | null> {
  const viewer = requireViewer(ctx.identity);
  const payment = await ctx.loaders.paymentByOrder.load(order.id);
  if (!payment) return null;
  if (payment.customerId !== viewer.userId && viewer.role !== 'ADMIN') {
    throw forbidden("Only the order's customer and ADMINs may read its payment");
  }
  return payment;
}
