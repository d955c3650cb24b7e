import { ShippingContext } from '../context';
import { parseCountry } from '../country/country.validation';
import { REST_OF_WORLD, ShippingMethod } from './shipping-method.entity';

const CHEAPEST_FIRST = { orderBy: { priceAmount: 'ASC', position: 'ASC' } } as const;

/**
 * The methods serving a country, cheapest first: those naming it, or else
 * those for the rest of the world. Public: checkout (orders) calls it
 * without credentials to check the method a customer chose.
 */
export async function shippingMethodsFor(ctx: ShippingContext, countryInput: string): Promise<ShippingMethod[]> {
  const country = parseCountry(countryInput);
  const named = await ctx.em.find(ShippingMethod, { countries: { $contains: [country] } }, CHEAPEST_FIRST);
  if (named.length > 0) return named;
  return ctx.em.find(ShippingMethod, { countries: { $contains: [REST_OF_WORLD] } }, CHEAPEST_FIRST);
}
