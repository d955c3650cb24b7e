import { z } from '@shop/platform';

const text = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);

export const checkoutSchema = z.object({
  cartId: z.uuid('Not a valid cart id'),
  shippingAddress: z.object({
    name: text(100),
    line1: text(200),
    line2: z.string().trim().max(200, 'At most 200 characters').nullish(),
    city: text(100),
    postalCode: text(20),
    country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Use an ISO 3166-1 alpha-2 country code, e.g. FR'),
  }),
  shippingMethodId: text(100),
  paymentToken: text(200),
  idempotencyKey: text(100),
});

export type CheckoutInput = z.infer<typeof checkoutSchema>;
