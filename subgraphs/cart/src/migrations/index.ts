import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261122040000Cart } from './Migration20261122040000Cart';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261122040000Cart', class: Migration20261122040000Cart },
  eventTracingMigration,
];
