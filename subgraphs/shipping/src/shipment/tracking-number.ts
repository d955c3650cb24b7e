import { randomBytes } from 'node:crypto';

/**
 * A new tracking number: SH and 16 hex digits of randomness (64 bits), so
 * numbers are unique in practice and reveal nothing about order volumes;
 * the unique index on shipments catches the improbable collision.
 */
export function newTrackingNumber(): string {
  return `SH${randomBytes(8).toString('hex').toUpperCase()}`;
}
