import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261122020000Catalog } from './Migration20261122020000Catalog';
import { Migration20261201120000ProductCopies } from './Migration20261201120000ProductCopies';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261122020000Catalog', class: Migration20261122020000Catalog },
  eventTracingMigration,
  { name: 'Migration20261201120000ProductCopies', class: Migration20261201120000ProductCopies },
];
