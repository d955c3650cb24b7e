import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261122020000Catalog } from './Migration20261122020000Catalog';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261122020000Catalog', class: Migration20261122020000Catalog },
  eventTracingMigration,
];
