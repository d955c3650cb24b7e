import { EventEnvelope, forbidden, isId, requireRole, requireViewer, startWith } from '@shop/platform';
import { Resolvers } from '../generated/graphql';
import { OrdersContext } from '../context';
import { Order } from './order.entity';

type StatusChanged = EventEnvelope<'orders.order.status-changed'>;

async function currentOrder(ctx: OrdersContext, event: StatusChanged): Promise<Order> {
  const order = await ctx.loaders.order.load(event.data.orderId);
  if (!order) throw new Error(`order ${event.data.orderId} of a status event is missing`);
  return order;
}

/** Pushes come from `orders.order.status-changed`; each is resolved to the order as it is now, with a fresh unit of work. */
export const orderUpdatesResolvers: Resolvers = {
  Subscription: {
    orderUpdated: {
      subscribe: async (_root, { id }, ctx) => {
        const viewer = requireViewer(ctx.identity);
        const order = isId(id) ? await ctx.loaders.order.load(id) : null;
        if (!order || (order.customerId !== viewer.userId && viewer.role !== 'ADMIN')) {
          throw forbidden('Only the customer and ADMINs may follow this order');
        }
        // Listening starts before the snapshot is read, so no change falls between the two.
        const changes = ctx.live('orders.order.status-changed', (e) => e.data.orderId === id);
        const now: StatusChanged = {
          id: order.id, type: 'orders.order.status-changed', occurredAt: new Date().toISOString(),
          data: { orderId: order.id, customerId: order.customerId, status: order.status, previousStatus: null, reason: null, at: order.updatedAt.toISOString() },
        };
        return startWith(now, changes) as any;
      },
      resolve: (event: StatusChanged, _args: unknown, ctx: OrdersContext) => currentOrder(ctx, event),
    },
    ordersUpdated: {
      subscribe: (_root, { status }, ctx) => {
        requireRole(ctx.identity, 'ADMIN', 'PARTNER');
        const wanted = status?.length ? new Set<string>(status) : null;
        return ctx.live('orders.order.status-changed', wanted ? (e) => wanted.has(e.data.status) : undefined) as any;
      },
      resolve: (event: StatusChanged, _args: unknown, ctx: OrdersContext) => currentOrder(ctx, event),
    },
  },
};
