import { money } from '@shop/platform';
import { Resolvers } from '../generated/graphql';

export const paymentResolvers: Resolvers = {
  Payment: {
    amount: (payment) => money(payment.amount, payment.currency),
  },
};
