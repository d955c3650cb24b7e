import { badInput, z } from '@shop/platform';
import { isCountryCode } from './country-codes';

/** A country code in any case, upper-cased; only assigned ISO 3166-1 alpha-2 codes pass. */
export const countrySchema = z.string().trim().toUpperCase()
  .refine(isCountryCode, 'Use an ISO 3166-1 alpha-2 country code, e.g. FR');

/** The upper-cased country code, or a BAD_USER_INPUT error naming the argument. */
export function parseCountry(input: string, argument = 'country'): string {
  const parsed = countrySchema.safeParse(input);
  if (!parsed.success) throw badInput(`${argument}: ${parsed.error.issues[0].message}`, argument);
  return parsed.data;
}
