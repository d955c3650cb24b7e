import nodemailer, { Transporter } from 'nodemailer';
import { PlatformConfig } from '@shop/platform';
import { RenderedMessage } from '../template/templates';
import { NotificationChannel, OutgoingMessage } from './notification-channel';

/** Connection limits: a send fails (and its event is retried) long before the 30 s acknowledgement window ends. */
const TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 };

/** E-mail over SMTP (`config.smtp`) through one pooled nodemailer transport. */
export class EmailChannel implements NotificationChannel {
  readonly name = 'email';
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(smtp: PlatformConfig['smtp']) {
    this.from = smtp.from;
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: 3,
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      ...TIMEOUTS,
    });
  }

  addressOf(recipient: { email: string }): string {
    return recipient.email;
  }

  shape(message: RenderedMessage): RenderedMessage {
    return message;
  }

  async send({ to, subject, text }: OutgoingMessage): Promise<void> {
    const info = await this.transport.sendMail({ from: this.from, to, subject, text });
    if (info.rejected?.length) throw new Error(`SMTP server rejected ${info.rejected.join(', ')}`);
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
