import { isId, z } from '@shop/platform';

/** The part of shipping.shipment.shipped that payments needs. */
export const shipmentShippedSchema = z.object({
  shipmentId: z.string().min(1),
  orderId: z.string().refine(isId, 'Not an order id'),
});
