import { isAdmin, pageSize, requireViewer } from '@shop/platform';
import { NotificationsContext } from '../context';
import { Notification, SentNotification } from './notification.entity';

/** Messages sent, newest first: the caller's own, everyone's for an ADMIN. */
export async function listNotifications(ctx: NotificationsContext, first: number | null | undefined): Promise<SentNotification[]> {
  const viewer = requireViewer(ctx.identity);
  const limit = pageSize(first);
  if (limit === 0) return [];
  const where = isAdmin(ctx.identity) ? { sentAt: { $ne: null } } : { userId: viewer.userId, sentAt: { $ne: null } };
  const rows = await ctx.em.find(Notification, where, { orderBy: { sentAt: 'DESC', id: 'DESC' }, limit });
  return rows as SentNotification[];
}
