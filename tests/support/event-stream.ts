import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { streamName } from '@shop/platform';
import { Stack } from './stack';
import { eventually } from './eventually';

export interface StoredEvent { subject: string; data: Uint8Array; type: string }

/** Every message of the test's event stream, in order. */
export async function storedEvents(stack: Stack): Promise<StoredEvent[]> {
  const jsm = await jetstreamManager(await stack.nats());
  const stream = streamName(stack.config.eventPrefix);
  const info = await jsm.streams.info(stream);
  const events: StoredEvent[] = [];
  for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (msg) events.push({ subject: msg.subject, data: msg.data, type: msg.json<{ type: string }>().type });
  }
  return events;
}

/** Publishes copies of events without a message id, so the stream keeps them: each is delivered again. */
export async function redeliver(stack: Stack, events: StoredEvent[]): Promise<void> {
  const js = jetstream(await stack.nats());
  for (const event of events) await js.publish(event.subject, event.data);
}

/** Waits until every durable consumer of the stream has handled and acknowledged everything. */
export async function consumersIdle(stack: Stack): Promise<void> {
  const jsm = await jetstreamManager(await stack.nats());
  const stream = streamName(stack.config.eventPrefix);
  await eventually(async () => {
    const infos = await jsm.consumers.list(stream).next();
    return infos.length > 0 && infos.every((c) => c.num_pending === 0 && c.num_ack_pending === 0 && c.num_redelivered >= 0);
  }, 'every consumer caught up', 30_000);
}
