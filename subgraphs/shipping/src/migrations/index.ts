import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261122080000Shipping } from './Migration20261122080000Shipping';
import { Migration20261201090000Shipments } from './Migration20261201090000Shipments';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261122080000Shipping', class: Migration20261122080000Shipping },
  { name: 'Migration20261201090000Shipments', class: Migration20261201090000Shipments },
  eventTracingMigration,
];
