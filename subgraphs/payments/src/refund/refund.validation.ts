import { isCurrency, isId, z } from '@shop/platform';

/** The part of returns.return.approved that payments needs. */
export const returnApprovedSchema = z.object({
  returnId: z.string().refine(isId, 'Not a return id'),
  orderId: z.string().refine(isId, 'Not an order id'),
  refundAmount: z.object({
    amount: z.number().int().min(0),
    currency: z.string().refine(isCurrency, 'Not an ISO 4217 currency code'),
  }),
  final: z.boolean(),
});
