import { eventTablesMigration, eventTracingMigration } from '@shop/platform';
import { Migration20261201100000Reviews } from './Migration20261201100000Reviews';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261201100000Reviews', class: Migration20261201100000Reviews },
  eventTracingMigration,
];
