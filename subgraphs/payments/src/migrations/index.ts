import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261122070000Payments } from './Migration20261122070000Payments';
import { Migration20261201090000Refunds } from './Migration20261201090000Refunds';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261122070000Payments', class: Migration20261122070000Payments },
  { name: 'Migration20261201090000Refunds', class: Migration20261201090000Refunds },
  eventTracingMigration,
];
