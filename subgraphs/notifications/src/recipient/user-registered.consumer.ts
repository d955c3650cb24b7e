import { ConsumerSpec } from '@shop/platform';
import { ChannelPool } from '../channel/channel-pool';
import { userRegisteredSchema } from '../notification/event.validation';
import { notify } from '../notification/notify.service';
import { TemplateRenderer } from '../template/templates';
import { Recipient } from './recipient.entity';

/**
 * accounts.user.registered: remembers how to reach the user (the latest
 * address wins) and sends the welcome mail, whatever the preferences say.
 */
export function userRegisteredConsumer(pool: ChannelPool, renderer: TemplateRenderer): ConsumerSpec<'accounts.user.registered'> {
  return {
    name: 'notifications-user-registered',
    type: 'accounts.user.registered',
    // The claim on (event, recipient, channel) is the inbox: no transaction holds a connection while a mail is sent.
    idempotentByItself: true,
    async handle(em, event, { config, log }) {
      const parsed = userRegisteredSchema.safeParse(event.data);
      if (!parsed.success) {
        log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed accounts.user.registered');
        return;
      }
      const { userId, email, name, phone } = parsed.data;
      await em.upsert(Recipient, { userId, email, name, phone: phone ?? null, registeredAt: new Date(event.occurredAt) });
      await notify({ em, log, channels: pool.channelsFor(config), renderer }, event, { userId, template: 'welcome', data: { email } });
    },
  };
}
