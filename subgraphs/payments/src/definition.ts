import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { PaymentsLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { PaymentIntentSchema } from './intent/payment-intent.entity';
import { PaymentSchema } from './payment/payment.entity';
import { orderPlacedConsumer } from './intent/order-placed.consumer';
import { orderCancelledConsumer, stockReservedConsumer } from './payment/payment.consumers';
import { orderResolvers } from './order/order.resolver';
import { paymentResolvers } from './payment/payment.resolver';
import { PaymentProvider } from './provider/payment-provider';
import { paymentProviderFromEnv } from './provider/provider.config';

/** Payments with a given provider: authorizes orders once their stock is reserved, voids or refunds cancelled ones. */
export function createPayments(provider: PaymentProvider): SubgraphDefinition<PaymentsLoaders> {
  return {
    name: 'payments',
    typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
    resolvers: [orderResolvers, paymentResolvers],
    entities: [PaymentIntentSchema, PaymentSchema],
    migrations,
    createLoaders,
    publishesEvents: true,
    consumers: [orderPlacedConsumer, stockReservedConsumer(provider), orderCancelledConsumer(provider)],
  };
}

/** The provider PAYMENT_PROVIDER names (the test provider outside production). */
export const paymentProvider: PaymentProvider = paymentProviderFromEnv();

/** Payments: the payment of each order, step 2 of the checkout saga. */
export const payments = createPayments(paymentProvider);
