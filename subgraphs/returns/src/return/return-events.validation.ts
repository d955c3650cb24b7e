import { isId, z } from '@shop/platform';

/** The part of payments.payment.refunded that returns needs; a refund without a returnId is a cancellation's. */
export const paymentRefundedSchema = z.object({
  orderId: z.string().refine(isId, 'Not an order id'),
  returnId: z.string().refine(isId, 'Not a return id').nullable().optional(),
  amount: z.object({ amount: z.number().int().min(0).max(2_147_483_647), currency: z.string() }),
});

/** inventory.return.restocked. */
export const returnRestockedSchema = z.object({
  returnId: z.string().refine(isId, 'Not a return id'),
  orderId: z.string().refine(isId, 'Not an order id'),
});
