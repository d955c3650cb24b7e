import { money } from '@shop/platform';
import { Resolvers } from '../generated/graphql';
import * as methods from './shipping-method.service';

export const shippingMethodResolvers: Resolvers = {
  Query: {
    shippingMethods: (_root, { country }, ctx) => methods.shippingMethodsFor(ctx, country),
  },
  ShippingMethod: {
    price: (method) => money(method.priceAmount, method.priceCurrency),
    estimatedDays: (method) => method.maxDays,
    minEstimatedDays: (method) => method.minDays,
  },
};
