import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261122020000Orders } from './Migration20261122020000Orders';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261122020000Orders', class: Migration20261122020000Orders },
  eventTracingMigration,
];
