import { EntityManager } from '@mikro-orm/postgresql';

export interface HeldTransaction {
  /** Resolves once `writes` ran: their locks are held from then on. */
  holding: Promise<void>;
  /** Lets the transaction commit. */
  release(): void;
  /** Resolves once it committed. */
  committed: Promise<void>;
}

/** Runs `writes` in a transaction of `em` and keeps it open, holding its locks, until `release`: makes another writer wait. */
export function heldTransaction(em: EntityManager, writes: (tx: EntityManager) => Promise<void>): HeldTransaction {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  let wrote!: () => void;
  const holding = new Promise<void>((resolve) => { wrote = resolve; });
  const committed = em.transactional(async (tx) => {
    await writes(tx);
    wrote();
    await released;
  });
  return { holding, release, committed };
}
