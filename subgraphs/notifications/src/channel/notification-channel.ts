import { Recipient } from '../recipient/recipient.entity';
import { RenderedMessage } from '../template/templates';

/** One message as a channel sends it. */
export interface OutgoingMessage {
  /** The address `addressOf` gave. */
  to: string;
  subject: string;
  /** Plain text. */
  text: string;
}

/**
 * A way to reach customers (e-mail, SMS). `send` throws when the message
 * was not accepted, so the event is retried; it must give up well within
 * the event's 30 s acknowledgement window.
 */
export interface NotificationChannel {
  /** Stored with each message (`Notification.channel`): `email`, `sms`. */
  readonly name: string;
  /** Where this channel reaches the recipient, or null when it cannot (no phone number). */
  addressOf(recipient: Recipient): string | null;
  /** What this channel sends of a rendered message (and what is stored as sent). */
  shape(message: RenderedMessage): RenderedMessage;
  send(message: OutgoingMessage): Promise<void>;
  /** Releases connections; called once when the process stops. */
  close(): Promise<void>;
}
