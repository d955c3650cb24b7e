import { EntityManager } from '@mikro-orm/postgresql';
import { NatsConnection } from '@nats-io/transport-node';
import { PlatformConfig } from '../config';
import { Identity } from '../auth/identity';
import { Logger } from '../logger';
import { EventEnvelope, EventType } from '../events/contracts';

/**
 * What every resolver receives: who calls, a unit of work of its own (an
 * EntityManager forked for this request or event) and request-scoped
 * DataLoaders. Nothing is shared between requests.
 *
 * Subscriptions: `subscribe` runs once per subscription with this context;
 * each event is then resolved with a fresh context (same identity, newly
 * forked `em` and `loaders`), so entities never outlive one event.
 */
export interface SubgraphContext<L = unknown> {
  identity: Identity;
  /** The caller's Authorization header as received, passed on when this subgraph calls another (`callSubgraph`). */
  authorization: string | null;
  em: EntityManager;
  /** The client's address, as the gateway saw it (HTTP requests only; rate limits key by it). */
  clientIp?: string;
  loaders: L;
  config: PlatformConfig;
  log: Logger;
  /** Wakes the outbox relay once a transaction that recorded events has committed. */
  eventsRecorded(): void;
  /** The subgraph's NATS connection: present when it publishes, consumes or serves subscriptions. */
  nats: NatsConnection | null;
  /**
   * Live events of one type under this deployment's prefix, for a
   * subscription's `subscribe` resolver. Return it as is and filter with
   * `filter` (not in a wrapping `async function*`, whose `return()` would wait
   * for the next event), so that unsubscribing releases it at once.
   */
  live<T extends EventType>(type: T, filter?: (event: EventEnvelope<T>) => boolean): AsyncIterableIterator<EventEnvelope<T>>;
}
