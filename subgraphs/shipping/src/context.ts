import { SubgraphContext } from '@shop/platform';

/** None yet: shippingMethods is one statement per request, with nothing to batch. */
export type ShippingLoaders = Record<string, never>;

export type ShippingContext = SubgraphContext<ShippingLoaders>;

export function createLoaders(): ShippingLoaders {
  return {};
}
