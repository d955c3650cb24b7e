import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { PaymentsLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { PaymentIntentSchema } from './intent/payment-intent.entity';
import { PaymentSchema } from './payment/payment.entity';
import { RefundSchema } from './refund/refund.entity';
import { orderPlacedConsumer } from './intent/order-placed.consumer';
import { orderCancelledConsumer, shipmentShippedConsumer, stockReservedConsumer } from './payment/payment.consumers';
import { returnApprovedConsumer } from './refund/return-approved.consumer';
import { orderResolvers } from './order/order.resolver';
import { paymentResolvers } from './payment/payment.resolver';
import { PaymentProvider } from './provider/payment-provider';
import { paymentProviderFromEnv } from './provider/provider.config';

/**
 * Payments with a given provider: authorizes orders once their stock is
 * reserved, captures them when they ship, refunds returns, voids or refunds
 * cancelled ones.
 */
export function createPayments(provider: PaymentProvider): SubgraphDefinition<PaymentsLoaders> {
  return {
    name: 'payments',
    typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
    resolvers: [orderResolvers, paymentResolvers],
    entities: [PaymentIntentSchema, PaymentSchema, RefundSchema],
    migrations,
    createLoaders,
    publishesEvents: true,
    consumers: [
      orderPlacedConsumer, stockReservedConsumer(provider), orderCancelledConsumer(provider),
      shipmentShippedConsumer(provider), returnApprovedConsumer(provider),
    ],
  };
}

/** The provider PAYMENT_PROVIDER names (the test provider outside production). */
export const paymentProvider: PaymentProvider = paymentProviderFromEnv();

/** Payments: the payment of each order, step 2 of the checkout saga. */
export const payments = createPayments(paymentProvider);
