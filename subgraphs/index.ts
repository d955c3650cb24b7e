import { SubgraphDefinition, SubgraphName } from '@shop/platform';
import { accounts } from '@shop/accounts';
import { catalog } from '@shop/catalog';
import { inventory } from '@shop/inventory';
import { cart } from '@shop/cart';
import { discounts } from '@shop/discounts';
import { payments } from '@shop/payments';
import { shipping } from '@shop/shipping';
import { orders } from '@shop/orders';
import { returns } from '@shop/returns';
import { reviews } from '@shop/reviews';
import { notifications } from '@shop/notifications';

/** Every subgraph of the shop, by name: what the dev runner, the composer and the tests start. */
export const subgraphDefinitions: Partial<Record<SubgraphName, SubgraphDefinition<any>>> = {
  accounts,
  catalog,
  inventory,
  cart,
  discounts,
  payments,
  shipping,
  orders,
  returns,
  reviews,
  notifications,
};

export const subgraphNames = Object.keys(subgraphDefinitions) as SubgraphName[];
