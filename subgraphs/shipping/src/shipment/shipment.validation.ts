import { badInput, isId, z } from '@shop/platform';

const id = (what: string) => z.string().refine(isId, `Not ${what} id`);

/** The part of orders.order.confirmed that shipping keeps. */
export const orderConfirmedSchema = z.object({
  orderId: id('an order'),
  number: z.string().min(1).max(20),
  customerId: id('a customer'),
});

/** The part of orders.order.cancelled that shipping needs. */
export const orderCancelledSchema = z.object({
  orderId: id('an order'),
  customerId: id('a customer'),
  previousStatus: z.string(),
});

// Control characters (NUL above all) would end up on labels and in the carrier's systems.
const carrierSchema = z.string().trim()
  .min(1, 'Name the carrier')
  .max(100, 'At most 100 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'No control characters');

/** The carrier's name, trimmed, or a BAD_USER_INPUT error. */
export function parseCarrier(input: string): string {
  const parsed = carrierSchema.safeParse(input);
  if (!parsed.success) throw badInput(`carrier: ${parsed.error.issues[0].message}`, 'carrier');
  return parsed.data;
}

/** An id argument that can name a row (an order, a customer), or a BAD_USER_INPUT error naming the argument. */
export function parseId(input: string, argument: string): string {
  if (!isId(input)) throw badInput(`${argument}: Not a valid id`, argument);
  return input;
}
