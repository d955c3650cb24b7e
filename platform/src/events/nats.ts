import { connect, NatsConnection, nanos } from '@nats-io/transport-node';
import { jetstreamManager, RetentionPolicy, StorageType, DiscardPolicy } from '@nats-io/jetstream';
import { PlatformConfig } from '../config';

/** Connects to NATS, failing with one clear sentence when it is not there. */
export async function connectNats(config: PlatformConfig, name: string): Promise<NatsConnection> {
  try {
    // noAsyncTraces: no stack captured up front for every request (each JetStream publish), only to decorate a failure.
    return await connect({ servers: config.nats.servers, name, maxReconnectAttempts: -1, timeout: 5000, noAsyncTraces: true });
  } catch (e) {
    throw new Error(`Cannot reach NATS at ${config.nats.servers} (${(e as Error).message}); start nats-server with JetStream (-js) or set NATS_URL`);
  }
}

/** Name of the JetStream stream that holds every event under a prefix. */
export function streamName(prefix: string): string {
  return `${prefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_EVENTS`;
}

/** How long JetStream remembers message ids to drop a republished event. */
export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

/** Creates (or keeps) the stream of the shop's events. */
export async function ensureStream(nc: NatsConnection, prefix: string): Promise<string> {
  const jsm = await jetstreamManager(nc);
  const name = streamName(prefix);
  const config = {
    name,
    subjects: [`${prefix}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(7 * 24 * 3600 * 1000),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  try {
    await jsm.streams.info(name);
  } catch {
    try {
      await jsm.streams.add(config);
    } catch (e) {
      // Another process created it in between.
      await jsm.streams.info(name).catch(() => { throw e; });
    }
  }
  return name;
}

/** Removes the stream (tests clean up with this). */
export async function deleteStream(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(streamName(prefix)).catch(() => undefined);
}
