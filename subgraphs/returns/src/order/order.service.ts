import { EntityRef, forbidden, isId, requireViewer } from '@shop/platform';
import { ReturnsContext } from '../context';
import { ReturnRequest } from '../return/return-request.entity';

/** An order as the gateway names it: an id (orders owns everything else). */
export function orderRef(id: string): EntityRef {
  return { id };
}

/**
 * The order's returns, for its customer and ADMINs only; checked here, so it
 * holds when `_entities` is sent straight to this subgraph. An order returns
 * has not heard of (not delivered, or an id that cannot name one) has none.
 */
export async function orderReturns(ctx: ReturnsContext, order: EntityRef): Promise<ReturnRequest[]> {
  const viewer = requireViewer(ctx.identity);
  const known = isId(order.id) ? await ctx.loaders.order.load(order.id) : null;
  if (!known) return [];
  if (known.customerId !== viewer.userId && viewer.role !== 'ADMIN') {
    throw forbidden("Only the order's customer and ADMINs may read its returns");
  }
  return ctx.loaders.returnsByOrder.load(known.id);
}
