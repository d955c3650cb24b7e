import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261201090000Returns } from './Migration20261201090000Returns';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261201090000Returns', class: Migration20261201090000Returns },
  eventTracingMigration,
];
