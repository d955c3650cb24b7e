import { isId, z } from '@shop/platform';

/** The part of returns.return.approved that inventory needs. */
export const returnApprovedSchema = z.object({
  returnId: z.string().refine(isId, 'Not a return id'),
  orderId: z.string().refine(isId, 'Not an order id'),
  lines: z.array(z.object({
    productId: z.string().refine(isId, 'Not a product id'),
    quantity: z.number().int().min(1).max(1_000_000_000),
  })).min(1),
});

export type ReturnApproved = z.infer<typeof returnApprovedSchema>;
