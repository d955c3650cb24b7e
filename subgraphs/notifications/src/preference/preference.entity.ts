import { EntitySchema } from '@mikro-orm/postgresql';

/** What a customer chose to hear; a customer without a row gets the defaults (`DEFAULT_PREFERENCES`). */
export class NotificationPreference {
  userId!: string;
  orderEmails!: boolean;
  updatedAt!: Date;
}

/** What the GraphQL NotificationPreferences shows. */
export interface Preferences { orderEmails: boolean }

export const DEFAULT_PREFERENCES: Preferences = { orderEmails: true };

export const NotificationPreferenceSchema = new EntitySchema<NotificationPreference>({
  class: NotificationPreference,
  tableName: 'notification_preferences',
  properties: {
    userId: { type: 'uuid', primary: true },
    orderEmails: { type: 'boolean' },
    updatedAt: { type: 'datetime' },
  },
});
