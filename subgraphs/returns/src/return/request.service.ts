import { EntityManager } from '@mikro-orm/postgresql';
import { isId, newId, recordEvent, requireViewer, userError } from '@shop/platform';
import { ReturnsContext } from '../context';
import { DeliveredLine } from '../order/delivered-order.entity';
import { ReturnLine, ReturnRequest } from './return-request.entity';
import { ReturnResult, done, refused } from './return-result';
import { lockOrder } from './return-state';
import { checkReason } from './return.validation';

const DAY_MS = 24 * 3600 * 1000;

/** Lines of the order already in a return that is not REJECTED. */
async function linesInOpenReturns(em: EntityManager, lineIds: string[]): Promise<Set<string>> {
  const taken = await em.find(ReturnLine, { lineId: { $in: lineIds }, active: true });
  return new Set(taken.map((l) => l.lineId));
}

/**
 * The order's customer asks to send back whole lines of a delivered order.
 * The order row is locked first, so two requests for the same line at once
 * run one after the other and the second finds the line taken.
 */
export async function requestReturn(ctx: ReturnsContext, orderId: string, lineIds: string[], reason: string): Promise<ReturnResult> {
  const viewer = requireViewer(ctx.identity);
  if (!isId(orderId)) return refused(userError('ORDER_NOT_FOUND', 'You have no order with this id', ['orderId']));
  const checked = checkReason(reason);
  if ('error' in checked) return refused(checked.error);
  const wanted = [...new Set(lineIds)];
  if (wanted.length === 0) return refused(userError('NO_LINES', 'Choose at least one line to return', ['lineIds']));

  const result = await ctx.em.transactional(async (em): Promise<ReturnResult> => {
    const order = await lockOrder(em, orderId);
    if (!order) return refused(userError('NOT_DELIVERED', 'Only a delivered order can be returned', ['orderId']));
    // Someone else's order answers as an order that does not exist.
    if (order.customerId !== viewer.userId) return refused(userError('ORDER_NOT_FOUND', 'You have no order with this id', ['orderId']));
    const closesAt = order.deliveredAt.getTime() + ctx.config.returnWindowDays * DAY_MS;
    if (Date.now() > closesAt) {
      return refused(userError('RETURN_WINDOW_CLOSED', `Returns close ${ctx.config.returnWindowDays} days after delivery`, ['orderId']));
    }
    const lines = await em.find(DeliveredLine, { orderId });
    const ofOrder = new Set(lines.map((l) => l.id));
    const foreign = wanted.findIndex((id) => !ofOrder.has(id));
    if (foreign >= 0) return refused(userError('LINE_NOT_IN_ORDER', 'This line is not part of the order', ['lineIds', String(foreign)]));
    const taken = await linesInOpenReturns(em, wanted);
    const again = wanted.findIndex((id) => taken.has(id));
    if (again >= 0) {
      return refused(userError('LINE_ALREADY_RETURNED', 'This line is already in a return', ['lineIds', String(again)]));
    }

    const now = new Date();
    const ret = em.create(ReturnRequest, {
      id: newId(), orderId, customerId: order.customerId, status: 'REQUESTED', reason: checked.reason, rejectionReason: null,
      refundAmount: null, refundedAmount: null, createdAt: now, decidedAt: null, refundedAt: null, restockedAt: null,
    });
    em.persist(ret);
    em.persist(wanted.map((lineId) => em.create(ReturnLine, { returnId: ret.id, lineId, active: true })));
    recordEvent(em, 'returns.return.requested', {
      returnId: ret.id, orderId, customerId: order.customerId, lineIds: wanted, reason: checked.reason, at: now.toISOString(),
    });
    return done(ret);
  });
  if (result.returnRequest) ctx.eventsRecorded();
  return result;
}
