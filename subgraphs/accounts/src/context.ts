import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext, byIdLoader, groupLoader } from '@shop/platform';
import { User } from './user/user.entity';
import { Address } from './user/address.entity';

export interface AccountsLoaders {
  user: DataLoader<string, User | null>;
  addresses: DataLoader<string, Address[]>;
}

export type AccountsContext = SubgraphContext<AccountsLoaders>;

export function createLoaders(em: EntityManager): AccountsLoaders {
  return {
    user: byIdLoader(em, User),
    addresses: groupLoader(em, Address, 'userId', { createdAt: 'ASC', id: 'ASC' }),
  };
}
