import net from 'node:net';
import { Logger, PlatformConfig } from '@shop/platform';
import { LocalSmtpServer, startLocalSmtpServer } from './local-smtp-server';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

/**
 * `npm start`'s mail server: when SMTP_HOST is this machine and nothing
 * listens on SMTP_PORT yet (a MailHog or a second `npm start` may), a local
 * one that logs each mail it receives; null when mail goes elsewhere.
 */
export async function devMailServer(config: PlatformConfig, log: Logger): Promise<LocalSmtpServer | null> {
  const { host, port } = config.smtp;
  if (!LOCAL_HOSTS.has(host) || await listening(host, port)) return null;
  const mailLog = log.child({ part: 'mail' });
  const server = await startLocalSmtpServer({
    host,
    port,
    onMail: (mail) => mailLog.info({ to: mail.to.join(', '), subject: mail.subject }, 'mail received'),
  });
  mailLog.info(`local SMTP server on ${host}:${port}: each mail is logged here and delivered nowhere`);
  return server;
}
