import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext, byIdLoader, groupLoader } from '@shop/platform';
import { DeliveredLine, DeliveredOrder } from './order/delivered-order.entity';
import { ReturnRequest } from './return/return-request.entity';
import { returnLinesLoader } from './return/return-lines.loader';

export interface ReturnsLoaders {
  /** A delivered order by id; null for orders returns has not heard of. */
  order: DataLoader<string, DeliveredOrder | null>;
  /** The return requests of an order, oldest first. */
  returnsByOrder: DataLoader<string, ReturnRequest[]>;
  /** The order lines of a return request, in the order's line order. */
  returnLines: DataLoader<string, DeliveredLine[]>;
}

export type ReturnsContext = SubgraphContext<ReturnsLoaders>;

export function createLoaders(em: EntityManager): ReturnsLoaders {
  return {
    order: byIdLoader(em, DeliveredOrder),
    returnsByOrder: groupLoader(em, ReturnRequest, 'orderId', { createdAt: 'ASC', id: 'ASC' }),
    returnLines: returnLinesLoader(em),
  };
}
