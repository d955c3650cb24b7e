import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261122050000Discounts } from './Migration20261122050000Discounts';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261122050000Discounts', class: Migration20261122050000Discounts },
  eventTracingMigration,
];
