import { EntitySchema } from '@mikro-orm/postgresql';

export type RedemptionStatus = 'PENDING' | 'CONFIRMED' | 'RELEASED';

/**
 * One order's use of a coupon. PENDING from the claim at checkout (it
 * counts against the usage limit at once), CONFIRMED with the order,
 * RELEASED when the order is cancelled or never appeared. `attachedAt` says
 * the order exists (orders.order.placed arrived): the sweeper leaves it alone.
 */
export class Redemption {
  orderId!: string;
  couponId!: string;
  customerId!: string;
  status!: RedemptionStatus;
  discount!: number;
  attachedAt!: Date | null;
  releaseReason!: 'ORDER_CANCELLED' | 'ABANDONED' | null;
  createdAt!: Date;
  updatedAt!: Date;
}

export const RedemptionSchema = new EntitySchema<Redemption>({
  class: Redemption,
  tableName: 'coupon_redemptions',
  properties: {
    orderId: { type: 'uuid', primary: true },
    couponId: { type: 'uuid' },
    customerId: { type: 'uuid' },
    status: { type: 'string' },
    discount: { type: 'integer' },
    attachedAt: { type: 'datetime', nullable: true },
    releaseReason: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
