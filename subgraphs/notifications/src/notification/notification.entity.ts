import { EntitySchema } from '@mikro-orm/postgresql';

/**
 * One message to one recipient on one channel for one event. The row is
 * the claim that stands between an event and a second message: written
 * before the channel is called (`sentAt` null), marked sent after, removed
 * when the channel failed.
 */
export class Notification {
  id!: string;
  eventId!: string;
  userId!: string;
  channel!: string;
  template!: string;
  /** The address it went to: an e-mail address or a phone number. */
  recipient!: string;
  subject!: string;
  body!: string;
  claimedAt!: Date;
  sentAt!: Date | null;
}

/** A notification the channel accepted: what GraphQL shows. */
export type SentNotification = Notification & { sentAt: Date };

export const NotificationSchema = new EntitySchema<Notification>({
  class: Notification,
  tableName: 'notifications',
  properties: {
    id: { type: 'uuid', primary: true },
    eventId: { type: 'uuid' },
    userId: { type: 'uuid' },
    channel: { type: 'string' },
    template: { type: 'string' },
    recipient: { type: 'text' },
    subject: { type: 'text' },
    body: { type: 'text' },
    claimedAt: { type: 'datetime' },
    sentAt: { type: 'datetime', nullable: true },
  },
});
