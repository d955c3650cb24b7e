import { Resolvers } from '../generated/graphql';
import * as rates from './exchange-rate.service';

export const exchangeRateResolvers: Resolvers = {
  Mutation: {
    setExchangeRate: (_root, { currency, rate }, ctx) => rates.setExchangeRate(ctx, currency, rate),
  },
};
