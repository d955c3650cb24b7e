import { NatsConnection } from '@nats-io/transport-node';

/**
 * Notices are core NATS messages that something a reader may have cached
 * has changed (catalog's copies of stock and ratings, say): at most once,
 * never stored, for listeners that can afford to miss one (a response cache
 * whose entries expire anyway). Their subjects lie outside the event
 * stream's `<prefix>.>`, so JetStream keeps none of them.
 */
export function noticeSubject(prefix: string, name: string): string {
  return `notices.${prefix}.${name}`;
}

/** Publishes a notice; a closed connection drops it (a notice may be missed). */
export function publishNotice(nc: NatsConnection, prefix: string, name: string): void {
  if (nc.isClosed()) return;
  try { nc.publish(noticeSubject(prefix, name)); } catch { /* the connection closed meanwhile */ }
}

/** What catalog publishes once its copy of a product's stock or rating has changed. */
export const CATALOG_COPIES_CHANGED = 'catalog.copies-changed';
