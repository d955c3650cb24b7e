import { isCurrency, isId, z } from '@shop/platform';

const id = (what: string) => z.string().refine(isId, `Not ${what} id`);
const amount = z.number().int().min(0).max(2_147_483_647);

/** The part of orders.order.delivered that returns keeps. */
export const orderDeliveredSchema = z.object({
  orderId: id('an order'),
  number: z.string().min(1).max(20),
  customerId: id('a customer'),
  currency: z.string().refine(isCurrency, 'Not an ISO 4217 currency code'),
  lines: z.array(z.object({
    lineId: id('a line'),
    productId: id('a product'),
    name: z.string().max(200),
    quantity: z.number().int().min(1).max(2_147_483_647),
    unitPrice: z.object({ amount }),
  })).min(1),
  subtotal: amount,
  discount: amount,
  shippingTotal: amount,
  total: z.number().int(),
  deliveredAt: z.string().datetime({ offset: true }),
}).refine((order) => order.discount <= order.subtotal, 'The discount exceeds the subtotal');

export type OrderDelivered = z.infer<typeof orderDeliveredSchema>;
