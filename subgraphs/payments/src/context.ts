import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext } from '@shop/platform';
import { SettledPayment } from './payment/payment.entity';
import { paymentByOrderLoader } from './payment/payment.loader';

export interface PaymentsLoaders {
  /** The payment of an order by order id; null while it has none. */
  paymentByOrder: DataLoader<string, SettledPayment | null>;
}

export type PaymentsContext = SubgraphContext<PaymentsLoaders>;

export function createLoaders(em: EntityManager): PaymentsLoaders {
  return { paymentByOrder: paymentByOrderLoader(em) };
}
