import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope, Logger } from '@shop/platform';
import { NotificationChannel } from '../channel/notification-channel';
import { recipientWithPreferences } from '../recipient/recipient.repository';
import { ORDER_TEMPLATES, TemplateData, TemplateName, TemplateRenderer } from '../template/templates';
import { deliverOnce } from './delivery.service';

/** What sending needs besides the event: the event's EntityManager, the open channels, the templates. */
export interface NotifyEnv {
  em: EntityManager;
  log: Logger;
  channels: NotificationChannel[];
  renderer: TemplateRenderer;
}

/** One message an event calls for. */
export type Planned = { [K in TemplateName]: { userId: string; template: K; data: TemplateData[K] } }[TemplateName];

/**
 * How long an event for a user notifications has not heard of is retried:
 * `accounts.user.registered` travels on another consumer and may simply not
 * be handled yet. After that the event is logged and skipped.
 */
export const UNKNOWN_RECIPIENT_GRACE_MS = 60_000;

/** Renders the planned message for its recipient and sends it on every channel that reaches them, once per event. */
export async function notify(env: NotifyEnv, event: EventEnvelope, planned: Planned): Promise<void> {
  const { em, log } = env;
  const found = await recipientWithPreferences(em, planned.userId);
  if (!found) {
    const age = Date.now() - new Date(event.occurredAt).getTime();
    if (age < UNKNOWN_RECIPIENT_GRACE_MS) throw new Error(`recipient ${planned.userId} not known yet`);
    log.warn({ eventId: event.id, type: event.type, userId: planned.userId }, 'skipping a notification for a user notifications does not know');
    return;
  }
  const { recipient, preferences } = found;
  if (ORDER_TEMPLATES.has(planned.template) && !preferences.orderEmails) {
    log.info({ eventId: event.id, userId: recipient.userId, template: planned.template }, 'order mails turned off: not sending');
    return;
  }
  const message = env.renderer.render(planned.template, { ...planned.data, name: recipient.name });
  for (const channel of env.channels) {
    await deliverOnce(em, channel, { eventId: event.id, recipient, template: planned.template, message });
  }
}
