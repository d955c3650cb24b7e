import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext, byIdLoader, groupLoader } from '@shop/platform';
import { Order } from './order/order.entity';
import { OrderLine } from './order/order-line.entity';
import { StatusChange } from './order/status-change.entity';

export interface OrdersLoaders {
  order: DataLoader<string, Order | null>;
  lines: DataLoader<string, OrderLine[]>;
  history: DataLoader<string, StatusChange[]>;
}

export type OrdersContext = SubgraphContext<OrdersLoaders>;

export function createLoaders(em: EntityManager): OrdersLoaders {
  return {
    order: byIdLoader(em, Order),
    lines: groupLoader(em, OrderLine, 'orderId', { position: 'ASC' }),
    history: groupLoader(em, StatusChange, 'orderId', { at: 'ASC', id: 'ASC' }),
  };
}
