import { forbidden, requireViewer } from '@shop/platform';
import { ShippingContext } from '../context';
import { VisibleShipment, isVisible } from '../shipment/shipment.entity';

/** An order as shipping sees it: an id (orders owns everything else). */
export interface OrderRef { id: string }

export function orderRef(id: string): OrderRef {
  return { id };
}

/**
 * The order's shipment, for its customer, ADMINs and PARTNERs only. The
 * check runs here, so it holds when `_entities` is called directly. A
 * cancelled shipment is not shown: the order itself says CANCELLED.
 */
export async function orderShipment(ctx: ShippingContext, order: OrderRef): Promise<VisibleShipment | null> {
  const viewer = requireViewer(ctx.identity);
  const shipment = await ctx.loaders.shipmentByOrder.load(order.id);
  if (!shipment || !isVisible(shipment)) return null;
  if (shipment.customerId !== viewer.userId && viewer.role !== 'ADMIN' && viewer.role !== 'PARTNER') {
    throw forbidden("Only the order's customer, ADMINs and PARTNERs may read its shipment");
  }
  return shipment;
}
