import { EntityManager } from '@mikro-orm/postgresql';
import { BackgroundJob } from '@shop/platform';

/**
 * Releases PENDING claims older than `olderThanMs` whose order never
 * appeared (orders failed between claiming and committing the order), so
 * they stop counting against the usage limit. One statement: safe on every
 * replica at once. Returns how many it released.
 */
export async function releaseAbandonedClaims(em: EntityManager, olderThanMs: number): Promise<number> {
  const released = await em.execute(
    `UPDATE coupon_redemptions SET status = 'RELEASED', release_reason = 'ABANDONED', updated_at = now()
     WHERE status = 'PENDING' AND attached_at IS NULL AND created_at < now() - (? * interval '1 millisecond')
     RETURNING order_id`, [olderThanMs]);
  return released.length;
}

/** The sweep as a platform background job: COUPON_CLAIM_TTL_SECONDS (default 15 minutes), every SWEEP_INTERVAL_MS. */
export const claimSweeperJob: BackgroundJob = {
  name: 'discounts-claim-sweeper',
  intervalMs: (config) => config.saga.sweepIntervalMs,
  run: ({ orm, config }) => releaseAbandonedClaims(orm.em.fork(), config.saga.couponClaimTtlSeconds * 1000),
};
