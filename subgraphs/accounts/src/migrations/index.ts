import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261122010000Accounts } from './Migration20261122010000Accounts';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261122010000Accounts', class: Migration20261122010000Accounts },
  eventTracingMigration,
];
