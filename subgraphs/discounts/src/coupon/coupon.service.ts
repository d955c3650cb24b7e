import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { badInput, newId, requireRole, validate } from '@shop/platform';
import { DiscountsContext } from '../context';
import { Coupon } from './coupon.entity';
import { CreateCouponInput, createCouponSchema } from './coupon.validation';

/** ADMIN: creates a coupon; refused input is a BAD_USER_INPUT error naming the field. */
export async function createCoupon(ctx: DiscountsContext, input: CreateCouponInput): Promise<Coupon> {
  requireRole(ctx.identity, 'ADMIN');
  const checked = validate(createCouponSchema, input, []);
  if (!checked.ok) {
    const [first] = checked.userErrors;
    const field = first.field?.join('.');
    throw badInput(`${field}: ${first.message}`, field);
  }
  const c = checked.data;
  const coupon = ctx.em.create(Coupon, {
    id: newId(), code: c.code, kind: c.kind, value: c.value, minSubtotal: c.minSubtotal ?? null,
    startsAt: c.startsAt ?? null, endsAt: c.endsAt ?? null, usageLimit: c.usageLimit ?? null, createdAt: new Date(),
  });
  try {
    await ctx.em.persist(coupon).flush();
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw badInput('code: A coupon with this code exists', 'code');
    throw e;
  }
  return coupon;
}

/** ADMIN: every coupon, newest first. */
export async function coupons(ctx: DiscountsContext): Promise<Coupon[]> {
  requireRole(ctx.identity, 'ADMIN');
  return ctx.em.find(Coupon, {}, { orderBy: { createdAt: 'DESC', id: 'ASC' } });
}

/** How many confirmed orders used the coupon. */
export async function timesUsed(ctx: DiscountsContext, coupon: Coupon): Promise<number> {
  return (await ctx.loaders.usage.load(coupon.id)).confirmed;
}
