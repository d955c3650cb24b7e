import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/** A mail the local server accepted. */
export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-case. */
  to: string[];
  /** Envelope sender (MAIL FROM). */
  from: string;
  subject: string;
  text: string;
  receivedAt: Date;
}

export interface LocalSmtpServer {
  host: string;
  port: number;
  /** Every mail received so far, in order. */
  messages: ReceivedMail[];
  /** The first mail, received or to come, that matches; rejects after `timeoutMs`. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Refuses recipients (RCPT TO answers 550) while `predicate` says so, as a failing mail server would; null accepts all again. */
  refuse(predicate: ((address: string) => boolean) | null): void;
  stop(): Promise<void>;
}

export interface LocalSmtpOptions {
  /** Interface to listen on (127.0.0.1). */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Called for each mail received (`npm start` logs it). */
  onMail?(mail: ReceivedMail): void;
  /**
   * false: mails are accepted and read off, but neither parsed nor kept
   * (`messages` stays empty), for a benchmark whose load generator shares
   * the shop's cores. Parsed and kept by default.
   */
  keep?: boolean;
}

/**
 * An SMTP server for development and tests: accepts every mail (and any
 * credentials), keeps it in memory and delivers it nowhere. Plain SMTP only
 * (no STARTTLS), so it suits `SMTP_SECURE=false`.
 */
export async function startLocalSmtpServer(options: LocalSmtpOptions = {}): Promise<LocalSmtpServer> {
  const host = options.host ?? '127.0.0.1';
  const messages: ReceivedMail[] = [];
  let refused: ((address: string) => boolean) | null = null;
  const waiters = new Set<{ predicate: (mail: ReceivedMail) => boolean; resolve(mail: ReceivedMail): void }>();

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Clients left connected (a pool not closed) must not hold a stop up for the default 30 s.
    closeTimeout: 2_000,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
    onRcptTo: (address, _session, callback) => {
      if (refused?.(address.address.toLowerCase())) {
        callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData: (stream, session, callback) => {
      if (options.keep === false) {
        stream.on('end', () => callback()).resume();
        return;
      }
      simpleParser(stream).then((parsed) => {
        const from = session.envelope.mailFrom;
        const mail: ReceivedMail = {
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          from: from ? from.address : '',
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          receivedAt: new Date(),
        };
        messages.push(mail);
        options.onMail?.(mail);
        for (const waiter of [...waiters]) {
          if (!waiter.predicate(mail)) continue;
          waiters.delete(waiter);
          waiter.resolve(mail);
        }
        callback();
      }, (e: Error) => callback(e));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    messages,
    waitFor(predicate, timeoutMs = 15_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (mail: ReceivedMail) => { clearTimeout(timer); resolve(mail); },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching mail within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    refuse(predicate) {
      refused = predicate;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
