import { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '@shop/platform';
import { NotificationChannel } from '../channel/notification-channel';
import { Recipient } from '../recipient/recipient.entity';
import { RenderedMessage, TemplateName } from '../template/templates';

export interface Delivery {
  eventId: string;
  recipient: Recipient;
  template: TemplateName;
  message: RenderedMessage;
}

/**
 * Sends one event's message to one recipient on one channel, at most once
 * whoever else handles the same event: claim, send, mark sent. `em` must
 * not be in a transaction: each statement commits on its own, so a second
 * replica or a redelivery finds the claim even while this send is under
 * way, and no connection is held while the SMTP server answers.
 * A failed send removes the claim and throws: the event is retried.
 * Returns whether this call sent it.
 */
export async function deliverOnce(em: EntityManager, channel: NotificationChannel, delivery: Delivery): Promise<boolean> {
  const { eventId, recipient, template, message } = delivery;
  const to = channel.addressOf(recipient);
  if (!to) return false;
  const { subject, body } = channel.shape(message);
  const id = newId();
  const claimed = await em.execute(
    `INSERT INTO notifications (id, event_id, user_id, channel, template, recipient, subject, body, claimed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())
     ON CONFLICT (event_id, user_id, channel) DO NOTHING RETURNING id`,
    [id, eventId, recipient.userId, channel.name, template, to, subject, body]);
  if (claimed.length === 0) return false;
  try {
    await channel.send({ to, subject, text: body });
  } catch (e) {
    await em.execute('DELETE FROM notifications WHERE id = ?', [id]);
    throw e;
  }
  await em.execute('UPDATE notifications SET sent_at = now() WHERE id = ?', [id]);
  return true;
}
