import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext } from '@shop/platform';
import { Coupon } from './coupon/coupon.entity';
import { CouponUsage, usageLoader } from './redemption/usage.loader';

export interface DiscountsLoaders {
  /** Coupons by normalised code. */
  couponByCode: DataLoader<string, Coupon | null>;
  /** How many redemptions of each coupon are in use and confirmed, by coupon id. */
  usage: DataLoader<string, CouponUsage>;
}

export type DiscountsContext = SubgraphContext<DiscountsLoaders>;

/** Request-scoped loaders: a page of carts or coupons costs one statement per kind of read. */
export function createLoaders(em: EntityManager): DiscountsLoaders {
  return {
    couponByCode: new DataLoader(async (codes) => {
      const rows = await em.find(Coupon, { code: { $in: [...codes] } });
      const byCode = new Map(rows.map((c) => [c.code, c]));
      return codes.map((code) => byCode.get(code) ?? null);
    }),
    usage: usageLoader(em),
  };
}
