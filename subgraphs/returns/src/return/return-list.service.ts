import { FilterQuery } from '@mikro-orm/postgresql';
import { Connection, badInput, decodeCursor, isId, pageSize, requireRole, toConnection } from '@shop/platform';
import { ReturnsContext } from '../context';
import { ReturnRequest, ReturnStatus } from './return-request.entity';

/** ADMIN: a page of every return request, oldest first, optionally of one status. */
export async function listReturns(
  ctx: ReturnsContext, args: { first?: number | null; after?: string | null; status?: ReturnStatus | null },
): Promise<Connection<ReturnRequest>> {
  requireRole(ctx.identity, 'ADMIN');
  const size = pageSize(args.first);
  const where: FilterQuery<ReturnRequest> = args.status ? { status: args.status } : {};
  const cursor = decodeCursor(args.after);
  let page = where;
  if (cursor) {
    const [at, id] = cursor;
    const after = typeof at === 'string' ? new Date(at) : null;
    if (!after || Number.isNaN(after.getTime()) || !isId(id)) throw badInput('`after` is not a valid cursor', 'after');
    page = { $and: [where, { $or: [{ createdAt: { $gt: after } }, { createdAt: after, id: { $gt: id } }] }] };
  }
  const [rows, total] = await Promise.all([
    ctx.em.find(ReturnRequest, page, { orderBy: { createdAt: 'ASC', id: 'ASC' }, limit: size + 1 }),
    ctx.em.count(ReturnRequest, where),
  ]);
  return toConnection(rows, size, total, (r) => [r.createdAt.toISOString(), r.id]);
}
