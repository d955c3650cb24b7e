import { eventTablesMigration } from '@shop/platform';
import { Migration20261122070000Payments } from './Migration20261122070000Payments';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  eventTablesMigration,
  { name: 'Migration20261122070000Payments', class: Migration20261122070000Payments },
];
