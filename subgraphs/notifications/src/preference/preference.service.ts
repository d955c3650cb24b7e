import { EntityManager } from '@mikro-orm/postgresql';
import { requireViewer } from '@shop/platform';
import { NotificationsContext } from '../context';
import { DEFAULT_PREFERENCES, NotificationPreference, Preferences } from './preference.entity';

/** A customer's preferences, the defaults while they never chose. */
export async function preferencesOf(em: EntityManager, userId: string): Promise<Preferences> {
  const row = await em.findOne(NotificationPreference, { userId });
  return row ? { orderEmails: row.orderEmails } : DEFAULT_PREFERENCES;
}

/** The signed-in customer's preferences. */
export async function myPreferences(ctx: NotificationsContext): Promise<Preferences> {
  return preferencesOf(ctx.em, requireViewer(ctx.identity).userId);
}

/**
 * Turns the signed-in customer's order mails off or on. Works before
 * notifications has heard of the user (the row is keyed by user id alone).
 */
export async function setPreferences(ctx: NotificationsContext, orderEmails: boolean): Promise<Preferences> {
  const { userId } = requireViewer(ctx.identity);
  await ctx.em.upsert(NotificationPreference, { userId, orderEmails, updatedAt: new Date() });
  return { orderEmails };
}
