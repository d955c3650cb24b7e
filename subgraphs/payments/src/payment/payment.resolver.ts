import { money } from '@shop/platform';
import { Resolvers } from '../generated/graphql';

export const paymentResolvers: Resolvers = {
  Payment: {
    amount: (payment) => money(payment.amount, payment.currency),
    capturedAmount: (payment) => money(payment.capturedAmount, payment.currency),
    refundedAmount: (payment) => money(payment.refundedAmount, payment.currency),
  },
};
