import { SubgraphDefinition, SubgraphName } from '@shop/platform';
import { accounts } from '@shop/accounts';

/** Every subgraph of the shop, by name: what the dev runner, the composer and the tests start. */
export const subgraphDefinitions: Partial<Record<SubgraphName, SubgraphDefinition<any>>> = {
  accounts,
};

export const subgraphNames = Object.keys(subgraphDefinitions) as SubgraphName[];
