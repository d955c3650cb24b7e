import { EntitySchema } from '@mikro-orm/postgresql';

export type CouponKind = 'PERCENT' | 'FIXED';

/** A discount code. `value` is percent (1..100) for PERCENT, minor units of EUR for FIXED. */
export class Coupon {
  id!: string;
  code!: string;
  kind!: CouponKind;
  value!: number;
  minSubtotal!: number | null;
  startsAt!: Date | null;
  endsAt!: Date | null;
  usageLimit!: number | null;
  createdAt!: Date;
}

export const CouponSchema = new EntitySchema<Coupon>({
  class: Coupon,
  tableName: 'coupons',
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'string', unique: true },
    kind: { type: 'string' },
    value: { type: 'integer' },
    minSubtotal: { type: 'integer', nullable: true },
    startsAt: { type: 'datetime', nullable: true },
    endsAt: { type: 'datetime', nullable: true },
    usageLimit: { type: 'integer', nullable: true },
    createdAt: { type: 'datetime' },
  },
});
