import { isCurrency, isId, z } from '@shop/platform';

/** What the mails need of each event: anything else in a payload is ignored, a payload without it is dropped. */
const id = (what: string) => z.string().refine(isId, `Not a ${what} id`);
const text = z.string().min(1);
const currency = z.string().refine(isCurrency, 'Not an ISO 4217 currency code');
const money = z.object({ amount: z.number().int(), currency });

export const userRegisteredSchema = z.object({
  userId: id('user'),
  email: z.string().email(),
  name: text,
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'Not an E.164 phone number').nullish(),
});

export const orderConfirmedSchema = z.object({
  customerId: id('customer'),
  number: text,
  currency,
  total: z.number().int().min(0),
  lines: z.array(z.object({ name: text, quantity: z.number().int().min(1), unitPrice: money })),
});

export const orderCancelledSchema = z.object({
  customerId: id('customer'),
  number: text.optional(),
  reason: text,
});

export const shipmentShippedSchema = z.object({
  customerId: id('customer'),
  orderNumber: text,
  carrier: text,
  trackingNumber: text,
});

export const orderDeliveredSchema = z.object({
  customerId: id('customer'),
  number: text,
  currency,
  total: z.number().int().min(0),
});

export const returnRefundedSchema = z.object({
  customerId: id('customer'),
  orderNumber: text,
  amount: money,
});

export const returnRejectedSchema = z.object({
  customerId: id('customer'),
  orderNumber: text,
  reason: text,
});
