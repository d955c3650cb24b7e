import { EntityManager } from '@mikro-orm/postgresql';
import { ConsumerSpec, EventEnvelope, EventType, Logger, z } from '@shop/platform';
import { lockOrder, transition } from './order-transitions';
import { returnRefundedSchema, returnRejectedSchema, returnRequestedSchema } from './returns.validation';

/** The payload when it matches the contract; a malformed one is logged and dropped (it would fail every redelivery). */
function parsed<S extends z.ZodType>(schema: S, event: EventEnvelope<EventType>, log: Logger): z.infer<S> | null {
  const result = schema.safeParse(event.data);
  if (result.success) return result.data;
  log.error({ eventId: event.id, issues: result.error.issues }, `dropping a malformed ${event.type}`);
  return null;
}

/** returns.return.requested: DELIVERED → RETURN_REQUESTED; an order with a return open already stays as it is. */
const returnRequested: ConsumerSpec<'returns.return.requested'> = {
  name: 'orders-return-requested',
  type: 'returns.return.requested',
  async handle(em, event, { log }) {
    const data = parsed(returnRequestedSchema, event, log);
    if (!data) return;
    const order = await lockOrder(em, data.orderId);
    if (order?.status === 'DELIVERED') await transition(em, order, 'RETURN_REQUESTED', 'Return requested');
  },
};

/** Back to DELIVERED once no return of the order is open any more. */
async function closeReturn(em: EntityManager, orderId: string, openReturns: number, reason: string): Promise<void> {
  const order = await lockOrder(em, orderId);
  if (order?.status === 'RETURN_REQUESTED' && openReturns === 0) await transition(em, order, 'DELIVERED', reason);
}

/**
 * returns.return.refunded: RETURNED when every line of the order is back,
 * else DELIVERED when no other return is open, else it stays
 * RETURN_REQUESTED. A refund that overtook its request (a DELIVERED order)
 * still ends RETURNED when every line is back.
 */
const returnRefunded: ConsumerSpec<'returns.return.refunded'> = {
  name: 'orders-return-refunded',
  type: 'returns.return.refunded',
  async handle(em, event, { log }) {
    const data = parsed(returnRefundedSchema, event, log);
    if (!data) return;
    if (!data.allLinesReturned) {
      await closeReturn(em, data.orderId, data.openReturns, 'Return refunded');
      return;
    }
    const order = await lockOrder(em, data.orderId);
    if (!order || (order.status !== 'DELIVERED' && order.status !== 'RETURN_REQUESTED')) return;
    if (order.status === 'DELIVERED') await transition(em, order, 'RETURN_REQUESTED', 'Return requested');
    await transition(em, order, 'RETURNED', 'Return refunded: every line is back');
  },
};

/** returns.return.rejected: DELIVERED again once no return of the order is open. */
const returnRejected: ConsumerSpec<'returns.return.rejected'> = {
  name: 'orders-return-rejected',
  type: 'returns.return.rejected',
  async handle(em, event, { log }) {
    const data = parsed(returnRejectedSchema, event, log);
    if (!data) return;
    await closeReturn(em, data.orderId, data.openReturns, 'Return rejected');
  },
};

/** What the returns subgraph tells orders about returns of delivered orders. */
export const returnsConsumers = [returnRequested, returnRefunded, returnRejected];
