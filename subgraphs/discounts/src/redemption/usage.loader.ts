import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';

export interface CouponUsage {
  /** PENDING + CONFIRMED: what counts against the usage limit. */
  inUse: number;
  /** CONFIRMED: the coupon's timesUsed. */
  confirmed: number;
}

/** Counts each coupon's redemptions by status, one statement per tick. */
export function usageLoader(em: EntityManager): DataLoader<string, CouponUsage> {
  return new DataLoader(async (couponIds) => {
    const rows = await em.execute<{ coupon_id: string; in_use: number; confirmed: number }[]>(
      `SELECT coupon_id,
         count(*) FILTER (WHERE status IN ('PENDING', 'CONFIRMED'))::int AS in_use,
         count(*) FILTER (WHERE status = 'CONFIRMED')::int AS confirmed
       FROM coupon_redemptions WHERE coupon_id IN (?) GROUP BY coupon_id`, [[...couponIds]]);
    const byCoupon = new Map(rows.map((r) => [r.coupon_id, { inUse: r.in_use, confirmed: r.confirmed }]));
    return couponIds.map((id) => byCoupon.get(id) ?? { inUse: 0, confirmed: 0 });
  });
}
