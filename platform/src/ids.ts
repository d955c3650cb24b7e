import { randomUUID } from 'node:crypto';
import { v5 as uuidV5 } from 'uuid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A new opaque identifier. */
export function newId(): string {
  return randomUUID();
}

// The namespace of the shop's name-based ids: fixed forever, or every such id would change.
const NAMESPACE = '0b9e5f34-6a1d-4c8e-9f27-3d5c8a41e6b2';

/**
 * The identifier of `name`, the same every time (a name-based UUID, RFC 4122
 * version 5): for a row that concurrent requests may each try to create and
 * must agree on before it exists (an order of one idempotency key).
 */
export function idOf(name: string): string {
  return uuidV5(name, NAMESPACE);
}

/** True when `id` could name a row; anything else cannot exist and is never sent to the database. */
export function isId(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}

/** A reference to an entity another subgraph owns (what a federated field returns for it). */
export interface EntityRef { id: string }
