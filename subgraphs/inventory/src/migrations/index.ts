import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261122030000Inventory } from './Migration20261122030000Inventory';
import { Migration20261122040000Reservations } from './Migration20261122040000Reservations';
import { Migration20261201090000ReturnRestocks } from './Migration20261201090000ReturnRestocks';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261122030000Inventory', class: Migration20261122030000Inventory },
  { name: 'Migration20261122040000Reservations', class: Migration20261122040000Reservations },
  { name: 'Migration20261201090000ReturnRestocks', class: Migration20261201090000ReturnRestocks },
  eventTracingMigration,
];
