import { RenderedMessage } from '../template/templates';
import { NotificationChannel, OutgoingMessage } from './notification-channel';

/** An SMS gateway (Twilio, MessageBird...): sends one text, throwing when it was not accepted. */
export interface SmsProvider {
  readonly name: string;
  sendSms(to: string, text: string): Promise<void>;
  close?(): Promise<void>;
}

/** SMS to recipients with a phone number: the subject line is the whole text, texts are short. */
export class SmsChannel implements NotificationChannel {
  readonly name = 'sms';

  constructor(private readonly provider: SmsProvider) {}

  addressOf(recipient: { phone: string | null }): string | null {
    return recipient.phone;
  }

  shape({ subject }: RenderedMessage): RenderedMessage {
    return { subject, body: subject };
  }

  async send({ to, text }: OutgoingMessage): Promise<void> {
    await this.provider.sendSms(to, text);
  }

  async close(): Promise<void> {
    await this.provider.close?.();
  }
}

/** Sends nothing and remembers every text (development and tests: no SMS gateway is reachable). */
export class RecordingSmsProvider implements SmsProvider {
  readonly name = 'recording';
  readonly sent: { to: string; text: string }[] = [];

  async sendSms(to: string, text: string): Promise<void> {
    this.sent.push({ to, text });
  }
}
