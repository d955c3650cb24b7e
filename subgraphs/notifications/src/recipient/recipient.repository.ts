import { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_PREFERENCES, Preferences } from '../preference/preference.entity';
import { Recipient } from './recipient.entity';

interface Row { user_id: string; email: string; name: string; phone: string | null; registered_at: Date; order_emails: boolean | null }

/**
 * A recipient with their preferences (the defaults while they never chose),
 * in one statement and outside the identity map; null for a user
 * notifications has not heard of.
 */
export async function recipientWithPreferences(em: EntityManager, userId: string): Promise<{ recipient: Recipient; preferences: Preferences } | null> {
  const [row] = await em.execute<Row[]>(
    `SELECT u.user_id, u.email, u.name, u.phone, u.registered_at, p.order_emails
     FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.user_id WHERE u.user_id = ?`, [userId]);
  if (!row) return null;
  const recipient = Object.assign(new Recipient(), {
    userId: row.user_id, email: row.email, name: row.name, phone: row.phone, registeredAt: new Date(row.registered_at),
  });
  return { recipient, preferences: row.order_emails === null ? DEFAULT_PREFERENCES : { orderEmails: row.order_emails } };
}
