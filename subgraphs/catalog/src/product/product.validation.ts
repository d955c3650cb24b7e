import { z } from '@shop/platform';
import { slugSchema } from '../slug/slug';

export const MAX_PRICE = 100_000_000;

/** Trimmed text of at most `max` characters; PostgreSQL text cannot hold NUL, so it is refused here. */
export const textSchema = (max: number) => z.string().trim()
  .max(max, `At most ${max} characters`)
  .refine((s) => !s.includes('\u0000'), 'May not contain the NUL character');

/** ProductInput as the catalog accepts it; the currency is checked against ISO 4217 after this. */
export const productInputSchema = z.object({
  name: textSchema(200).refine((s) => s.length > 0, 'Name is required'),
  slug: slugSchema.nullish(),
  description: textSchema(5000).nullish(),
  categoryId: z.string().max(100, 'Not a category id').nullish(),
  price: z.number().int('Use a whole number of minor units').min(0, 'Must be at least 0').max(MAX_PRICE, `Must be at most ${MAX_PRICE}`),
  currency: z.string().max(10, 'Use an ISO 4217 currency code, e.g. EUR'),
});

export type ProductInputData = z.infer<typeof productInputSchema>;
