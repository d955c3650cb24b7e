import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A new opaque identifier. */
export function newId(): string {
  return randomUUID();
}

/** True when `id` could name a row; anything else cannot exist and is never sent to the database. */
export function isId(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}

/** A reference to an entity another subgraph owns (what a federated field returns for it). */
export interface EntityRef { id: string }
