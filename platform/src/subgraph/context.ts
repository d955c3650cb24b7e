import { EntityManager } from '@mikro-orm/postgresql';
import { PlatformConfig } from '../config';
import { Identity } from '../auth/identity';
import { Logger } from '../logger';

/**
 * What every resolver receives: who calls, a unit of work of its own (an
 * EntityManager forked for this request or event) and request-scoped
 * DataLoaders. Nothing is shared between requests.
 */
export interface SubgraphContext<L = unknown> {
  identity: Identity;
  em: EntityManager;
  loaders: L;
  config: PlatformConfig;
  log: Logger;
  /** Wakes the outbox relay once a transaction that recorded events has committed. */
  eventsRecorded(): void;
}
