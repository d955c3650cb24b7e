import { EntityManager } from '@mikro-orm/postgresql';
import { isId, money, recordEvent, requireRole, userError } from '@shop/platform';
import { ReturnsContext } from '../context';
import { DeliveredLine, DeliveredOrder } from '../order/delivered-order.entity';
import { ReturnLine, ReturnRequest } from './return-request.entity';
import { ReturnResult, done, refused } from './return-result';
import { everyLineIn, lockReturn, openReturns } from './return-state';
import { refundFor } from './refund';
import { checkReason } from './return.validation';

const notFound = () => refused(userError('RETURN_NOT_FOUND', 'There is no return request with this id', ['id']));
const notPending = (ret: ReturnRequest) =>
  refused(userError('RETURN_NOT_PENDING', `This return is already ${ret.status.toLowerCase()}`, ['id']), ret);

async function linesOf(em: EntityManager, returnId: string): Promise<DeliveredLine[]> {
  const links = await em.find(ReturnLine, { returnId });
  return em.find(DeliveredLine, { id: { $in: links.map((l) => l.lineId) } }, { orderBy: { position: 'ASC' } });
}

/** REQUESTED → APPROVED with its refund, and the event payments and inventory act on. */
async function approve(em: EntityManager, order: DeliveredOrder, ret: ReturnRequest): Promise<void> {
  const lines = await linesOf(em, ret.id);
  ret.status = 'APPROVED';
  ret.refundAmount = refundFor(lines, order);
  ret.decidedAt = new Date();
  // The checks below read the database: let them see this approval.
  await em.flush();
  recordEvent(em, 'returns.return.approved', {
    returnId: ret.id, orderId: order.id, customerId: order.customerId,
    lines: lines.map((l) => ({ lineId: l.id, productId: l.productId, quantity: l.quantity })),
    refundAmount: money(ret.refundAmount, order.currency),
    final: await everyLineIn(em, order.id, ['APPROVED', 'REFUNDED']),
  });
}

/**
 * ADMIN: accepts a REQUESTED return. The order's lock makes two approvals
 * at once run one after the other: the second finds it APPROVED and answers
 * it as it is, so there is one approval and one event.
 */
export async function approveReturn(ctx: ReturnsContext, id: string): Promise<ReturnResult> {
  requireRole(ctx.identity, 'ADMIN');
  if (!isId(id)) return notFound();
  let approved = false;
  const result = await ctx.em.transactional(async (em): Promise<ReturnResult> => {
    const locked = await lockReturn(em, id);
    if (!locked) return notFound();
    const { order, ret } = locked;
    if (ret.status === 'APPROVED' || ret.status === 'REFUNDED') return done(ret);
    if (ret.status !== 'REQUESTED') return notPending(ret);
    await approve(em, order, ret);
    approved = true;
    return done(ret);
  });
  if (approved) ctx.eventsRecorded();
  return result;
}

/** ADMIN: refuses a REQUESTED return; its lines may be asked for again. */
export async function rejectReturn(ctx: ReturnsContext, id: string, reason: string): Promise<ReturnResult> {
  requireRole(ctx.identity, 'ADMIN');
  if (!isId(id)) return notFound();
  const checked = checkReason(reason);
  if ('error' in checked) return refused(checked.error);
  let rejected = false;
  const result = await ctx.em.transactional(async (em): Promise<ReturnResult> => {
    const locked = await lockReturn(em, id);
    if (!locked) return notFound();
    const { order, ret } = locked;
    if (ret.status === 'REJECTED') return done(ret);
    if (ret.status !== 'REQUESTED') return notPending(ret);
    ret.status = 'REJECTED';
    ret.rejectionReason = checked.reason;
    ret.decidedAt = new Date();
    await em.nativeUpdate(ReturnLine, { returnId: ret.id }, { active: false });
    await em.flush();
    recordEvent(em, 'returns.return.rejected', {
      returnId: ret.id, orderId: order.id, orderNumber: order.number, customerId: order.customerId,
      reason: checked.reason, openReturns: await openReturns(em, order.id),
    });
    rejected = true;
    return done(ret);
  });
  if (rejected) ctx.eventsRecorded();
  return result;
}
