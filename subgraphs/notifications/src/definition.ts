import { PlatformConfig, SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { NotificationsLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { ChannelPool } from './channel/channel-pool';
import { EmailChannel } from './channel/email.channel';
import { NotificationChannel } from './channel/notification-channel';
import { SmsChannel, SmsProvider } from './channel/sms.channel';
import { smsProviderFromEnv } from './channel/sms.config';
import { NotificationSchema } from './notification/notification.entity';
import { notificationResolvers } from './notification/notification.resolver';
import { orderMailConsumers } from './notification/notification.consumers';
import { NotificationPreferenceSchema } from './preference/preference.entity';
import { preferenceResolvers } from './preference/preference.resolver';
import { RecipientSchema } from './recipient/recipient.entity';
import { userRegisteredConsumer } from './recipient/user-registered.consumer';
import { TemplateRenderer } from './template/templates';

export interface NotificationsOptions {
  /** Sends SMS too, to recipients with a phone number; none: e-mail only. */
  sms?: SmsProvider | null;
}

/** Notifications with the given channels: e-mail over `config.smtp` always, SMS when a provider is given. */
export function createNotifications(options: NotificationsOptions = {}): SubgraphDefinition<NotificationsLoaders> {
  const pool = new ChannelPool((config: PlatformConfig): NotificationChannel[] => [
    new EmailChannel(config.smtp),
    ...(options.sms ? [new SmsChannel(options.sms)] : []),
  ]);
  const renderer = new TemplateRenderer();
  return {
    name: 'notifications',
    typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
    resolvers: [notificationResolvers, preferenceResolvers],
    entities: [RecipientSchema, NotificationPreferenceSchema, NotificationSchema],
    migrations,
    createLoaders,
    consumers: [userRegisteredConsumer(pool, renderer), ...orderMailConsumers(pool, renderer)],
    openResources: async ({ config }) => pool.acquire(config),
  };
}

/** Notifications: the mails (and texts) customers get about their account, orders and returns. */
export const notifications = createNotifications({ sms: smsProviderFromEnv() });
