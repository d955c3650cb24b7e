import { z } from '@shop/platform';

/** The most a FIXED coupon takes off: EUR 1,000,000.00. */
export const MAX_FIXED_VALUE = 100_000_000;
const INT4_MAX = 2_147_483_647;

export const createCouponSchema = z.object({
  code: z.string().trim().toUpperCase().regex(/^[A-Z0-9_-]{3,32}$/, 'Use 3 to 32 letters, digits, - or _'),
  kind: z.enum(['PERCENT', 'FIXED']),
  value: z.number().int(),
  minSubtotal: z.number().int().min(0, 'May not be negative').max(INT4_MAX).nullish(),
  usageLimit: z.number().int().min(1, 'Must be at least 1').nullish(),
  startsAt: z.date().nullish(),
  endsAt: z.date().nullish(),
}).superRefine((c, issues) => {
  if (c.kind === 'PERCENT' && (c.value < 1 || c.value > 100)) {
    issues.addIssue({ code: 'custom', path: ['value'], message: 'A PERCENT coupon takes 1 to 100 percent off' });
  }
  if (c.kind === 'FIXED' && (c.value < 1 || c.value > MAX_FIXED_VALUE)) {
    issues.addIssue({ code: 'custom', path: ['value'], message: `A FIXED coupon takes 1 to ${MAX_FIXED_VALUE} minor units of EUR off` });
  }
  if (c.endsAt && c.endsAt.getTime() <= Date.now()) {
    issues.addIssue({ code: 'custom', path: ['endsAt'], message: 'Must be in the future' });
  }
  if (c.startsAt && c.endsAt && c.startsAt.getTime() >= c.endsAt.getTime()) {
    issues.addIssue({ code: 'custom', path: ['endsAt'], message: 'Must be after startsAt' });
  }
});

export type CreateCouponInput = z.input<typeof createCouponSchema>;
