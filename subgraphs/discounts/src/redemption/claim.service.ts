import { EntityManager } from '@mikro-orm/postgresql';
import { Viewer, badInput, forbidden, isId, requireViewer } from '@shop/platform';
import { DiscountsContext } from '../context';
import { Coupon } from '../coupon/coupon.entity';
import { Quote, normalizeCode, quote } from '../coupon/coupon-rules';
import { checkSubtotal } from '../quote/quote.service';

interface PriorClaim { coupon_id: string; customer_id: string; status: string; discount: number }

/** Reads and locks the coupon: claims of one coupon queue up here, so the usage count they see is exact. */
async function lockCoupon(em: EntityManager, code: string): Promise<Coupon | null> {
  if (code.length > 32) return null;
  const [row] = await em.execute(
    `SELECT id, code, kind, value, min_subtotal, starts_at, ends_at, usage_limit, created_at FROM coupons WHERE code = ? FOR UPDATE`, [code]);
  if (!row) return null;
  return Object.assign(new Coupon(), {
    id: row.id, code: row.code, kind: row.kind, value: row.value, minSubtotal: row.min_subtotal,
    startsAt: row.starts_at, endsAt: row.ends_at, usageLimit: row.usage_limit, createdAt: row.created_at,
  });
}

/** A second claim for an order answers what the first did. */
function repeat(viewer: Viewer, prior: PriorClaim, coupon: Coupon | null, code: string): Quote {
  if (prior.customer_id !== viewer.userId) throw forbidden('Another customer claimed a coupon for this order');
  if (prior.coupon_id !== coupon?.id) throw badInput('code: This order already claimed another coupon', 'code');
  if (prior.status === 'RELEASED') {
    return { valid: false, code, discount: 0, errorCode: 'COUPON_CLAIM_RELEASED', message: "This order's claim of the coupon was released" };
  }
  return { valid: true, code, discount: prior.discount, errorCode: null, message: null };
}

/**
 * Claims one use of a coupon for an order, for orders' checkout. Atomic: the
 * coupon row is locked, then PENDING + CONFIRMED redemptions are counted
 * against the limit, so concurrent claims never exceed it. A valid claim is
 * a PENDING redemption; a refused one writes nothing.
 */
export async function claimCoupon(ctx: DiscountsContext, orderId: string, code: string, subtotal: number, currency: string): Promise<Quote> {
  const viewer = requireViewer(ctx.identity);
  if (!isId(orderId)) throw badInput('orderId: Not a valid id', 'orderId');
  checkSubtotal(subtotal);
  const normalized = normalizeCode(code);
  return ctx.em.transactional(async (em) => {
    const coupon = await lockCoupon(em, normalized);
    // Read after the lock: a claim for the same order that raced this one has committed and is seen.
    const [prior] = await em.execute<PriorClaim[]>(
      'SELECT coupon_id, customer_id, status, discount FROM coupon_redemptions WHERE order_id = ?', [orderId]);
    if (prior) return repeat(viewer, prior, coupon, normalized);
    if (!coupon) return quote(null, normalized, { subtotal, currency, now: new Date(), used: 0 });
    const [{ used }] = await em.execute<{ used: number }[]>(
      `SELECT count(*)::int AS used FROM coupon_redemptions WHERE coupon_id = ? AND status IN ('PENDING', 'CONFIRMED')`, [coupon.id]);
    const verdict = quote(coupon, normalized, { subtotal, currency, now: new Date(), used });
    if (!verdict.valid) return verdict;
    await em.execute(
      `INSERT INTO coupon_redemptions (order_id, coupon_id, customer_id, status, discount, attached_at, release_reason, created_at, updated_at)
       VALUES (?, ?, ?, 'PENDING', ?, NULL, NULL, now(), now())`,
      [orderId, coupon.id, viewer.userId, verdict.discount]);
    return verdict;
  });
}
