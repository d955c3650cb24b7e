import { isId, z } from '@shop/platform';

const orderId = z.string().refine(isId, 'Not an order id');
const openReturns = z.number().int().min(0);

export const returnRequestedSchema = z.object({ orderId });
export const returnRefundedSchema = z.object({ orderId, allLinesReturned: z.boolean(), openReturns });
export const returnRejectedSchema = z.object({ orderId, openReturns });
