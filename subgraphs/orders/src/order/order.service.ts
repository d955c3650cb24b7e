import { FilterQuery } from '@mikro-orm/postgresql';
import {
  Connection, decodeCursor, forbidden, isAdmin, isId, pageSize, requireViewer, toConnection,
} from '@shop/platform';
import { OrdersContext } from '../context';
import { Order, OrderStatus } from './order.entity';

/** The order, when the caller is its customer or an ADMIN; null for anyone else and unknown ids. */
export async function findOrder(ctx: OrdersContext, id: string): Promise<Order | null> {
  const viewer = requireViewer(ctx.identity);
  const order = isId(id) ? await ctx.loaders.order.load(id) : null;
  if (!order || (order.customerId !== viewer.userId && viewer.role !== 'ADMIN')) return null;
  return order;
}

/** For entity references from other subgraphs: someone else's order is FORBIDDEN. */
export async function resolveOrderReference(ctx: OrdersContext, id: string): Promise<Order | null> {
  const viewer = requireViewer(ctx.identity);
  const order = isId(id) ? await ctx.loaders.order.load(id) : null;
  if (order && order.customerId !== viewer.userId && viewer.role !== 'ADMIN') throw forbidden('Only the customer and ADMINs may read this order');
  return order;
}

/** A page of orders, newest first: the caller's own, or everyone's for an ADMIN (or one customer's). */
export async function listOrders(
  ctx: OrdersContext, args: { first?: number | null; after?: string | null; status?: OrderStatus | null }, customerId?: string,
): Promise<Connection<Order>> {
  const viewer = requireViewer(ctx.identity);
  if (customerId && customerId !== viewer.userId && viewer.role !== 'ADMIN') throw forbidden('Only the user and ADMINs may read these orders');
  const size = pageSize(args.first);
  const where: FilterQuery<Order> = {};
  if (customerId) where.customerId = customerId;
  else if (!isAdmin(ctx.identity)) where.customerId = viewer.userId;
  if (args.status) where.status = args.status;
  const cursor = decodeCursor(args.after) as [string, string] | null;
  const page: FilterQuery<Order> = cursor
    ? { $and: [where, { $or: [{ placedAt: { $lt: new Date(cursor[0]) } }, { placedAt: new Date(cursor[0]), id: { $lt: cursor[1] } }] }] }
    : where;
  const [rows, total] = await Promise.all([
    ctx.em.find(Order, page, { orderBy: { placedAt: 'DESC', id: 'DESC' }, limit: size + 1 }),
    ctx.em.count(Order, where),
  ]);
  return toConnection(rows, size, total, (o) => [o.placedAt.toISOString(), o.id]);
}
