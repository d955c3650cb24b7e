import { EntityManager } from '@mikro-orm/postgresql';

const waiting = new WeakMap<EntityManager, (() => void)[]>();

/**
 * Runs `fn` once the transaction of `em` has committed, and never if it
 * rolls back: for effects outside the database that must happen once per
 * committed change (a metric), when the transaction may be rolled back and
 * run again (a batch of events retried one by one). A transaction not run
 * through `transactionalThen` collects nothing: `fn` runs at once.
 */
export function afterCommit(em: EntityManager, fn: () => void): void {
  const queue = waiting.get(em);
  if (queue) queue.push(fn); else fn();
}

/** `em.transactional(work)`, then what `afterCommit` queued inside it, after the commit only. */
export async function transactionalThen<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  let queue: (() => void)[] = [];
  const result = await em.transactional(async (tx) => {
    // A retried callback starts afresh: what a failed attempt queued is dropped with its rollback.
    queue = [];
    waiting.set(tx, queue);
    return work(tx);
  });
  for (const fn of queue) fn();
  return result;
}
