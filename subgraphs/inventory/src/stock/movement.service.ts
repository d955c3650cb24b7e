import { EntityManager } from '@mikro-orm/postgresql';
import { OUTBOX_COLUMNS, isId, newId, outboxRow } from '@shop/platform';
import { StockLevel, available, emptyStockLevel, stockLevel } from './stock-level.entity';
import { MovementReason } from './stock-movement.entity';

/** The most units one product may have on hand (the column is a 32-bit int). */
export const MAX_ON_HAND = 1_000_000_000;

/** A change to one product's stock. */
export interface Movement {
  productId: string;
  reason: MovementReason;
  /** What caused it, e.g. an order id; kept in the ledger. */
  reference?: string | null;
  /** The new on-hand count (a stock take), or a change to it (a sale: -n, a return: +n). */
  onHand?: { to: number } | { by: number };
  /** Change to the reserved count: +n reserves, -n releases or ships. */
  reservedBy?: number;
}

export type MovementFailureCode =
  /** Inventory has not heard of the product (catalog.product.created not consumed, or no such product). */
  | 'UNKNOWN_PRODUCT'
  /** It would leave fewer units on hand than reserved, or fewer than none. */
  | 'INSUFFICIENT_STOCK'
  /** It would release more units than are reserved. */
  | 'NOT_RESERVED'
  /** It would put more than MAX_ON_HAND units on hand. */
  | 'TOO_MUCH_STOCK';

export type MovementOutcome =
  | { ok: true; level: StockLevel; changed: boolean }
  | { ok: false; code: MovementFailureCode; current: StockLevel | null };

interface StockRow { on_hand: number; reserved: number; version: string; updated_at: Date }

/** Locks the product for this transaction and reads its stock; null when inventory does not know it. */
async function lockStock(em: EntityManager, productId: string): Promise<StockLevel | null> {
  // The products row is the per-product mutex (stock_levels may have no row yet to lock): a
  // concurrent movement of the same product waits here until this transaction ends.
  const locked = await em.execute('SELECT 1 FROM products WHERE id = ? FOR NO KEY UPDATE', [productId]);
  if (locked.length === 0) return null;
  // A second statement, so a snapshot taken after the lock was granted: a join in the locking
  // statement would return the stock as it was before waiting, and lose the update it waited for.
  const [row] = await em.execute<StockRow[]>(
    'SELECT on_hand, reserved, version, updated_at FROM stock_levels WHERE product_id = ?', [productId]);
  if (!row) return emptyStockLevel(productId);
  return stockLevel({ productId, onHand: row.on_hand, reserved: row.reserved, version: Number(row.version), updatedAt: row.updated_at });
}

/** A movement checked against the invariants under the product's lock, not written yet. */
export type PlannedMovement =
  | { ok: true; current: StockLevel; next: StockLevel | null; movement: Movement }
  | { ok: false; code: MovementFailureCode; current: StockLevel | null };

/**
 * Locks the product for this transaction and checks the movement against
 * the invariants; `next` is null when it changes nothing. Write it with
 * `writeMovement` in the same transaction: the lock holds until it ends.
 */
export async function planMovement(em: EntityManager, movement: Movement): Promise<PlannedMovement> {
  if (!em.isInTransaction()) throw new Error('a stock movement must run inside a transaction');
  const current = isId(movement.productId) ? await lockStock(em, movement.productId) : null;
  if (!current) return { ok: false, code: 'UNKNOWN_PRODUCT', current: null };

  const change = movement.onHand;
  const onHand = change === undefined ? current.onHand : 'to' in change ? change.to : current.onHand + change.by;
  const reserved = current.reserved + (movement.reservedBy ?? 0);
  if (reserved < 0) return { ok: false, code: 'NOT_RESERVED', current };
  if (onHand < 0 || reserved > onHand) return { ok: false, code: 'INSUFFICIENT_STOCK', current };
  if (onHand > MAX_ON_HAND) return { ok: false, code: 'TOO_MUCH_STOCK', current };
  if (onHand === current.onHand && reserved === current.reserved) return { ok: true, current, next: null, movement };
  const next = stockLevel({ productId: current.productId, onHand, reserved, version: current.version + 1, updatedAt: new Date() });
  return { ok: true, current, next, movement };
}

/** Writes a planned movement: the new level with the next version, a ledger row and an `inventory.stock.changed` outbox event. */
export async function writeMovement(em: EntityManager, planned: Extract<PlannedMovement, { ok: true }>): Promise<MovementOutcome> {
  const { current, next, movement } = planned;
  if (!next) return { ok: true, level: current, changed: false };
  const event = outboxRow('inventory.stock.changed', {
    productId: next.productId, onHand: next.onHand, reserved: next.reserved, available: available(next), reason: movement.reason, version: next.version,
  });
  // One statement: the level (guarded by the version read under the lock: if anything wrote without the lock, nothing
  // is written and this fails loudly), its ledger row and its event, the last two only when the level was written.
  const written = await em.execute(
    `WITH level AS (
       INSERT INTO stock_levels (product_id, on_hand, reserved, version, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (product_id) DO UPDATE SET on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved,
         version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE stock_levels.version = ? RETURNING version
     ), ledger AS (
       INSERT INTO stock_movements (id, product_id, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version, reason, reference, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM level
     ), event AS (
       INSERT INTO outbox_events ${OUTBOX_COLUMNS} SELECT ${event.selectList} FROM level
     )
     SELECT version FROM level`,
    [next.productId, next.onHand, next.reserved, next.version, next.updatedAt, current.version,
      newId(), next.productId, next.onHand - current.onHand, next.reserved - current.reserved, next.onHand, next.reserved, next.version,
      movement.reason, movement.reference ?? null, next.updatedAt,
      ...event.params]);
  if (written.length !== 1) throw new Error(`stock of product ${next.productId} changed under its lock`);
  return { ok: true, level: next, changed: true };
}

/**
 * Applies one movement atomically, inside the caller's transaction: locks the
 * product, checks the result against the invariants, writes the new level
 * with the next version, a ledger row and an `inventory.stock.changed`
 * outbox event. A movement that changes nothing writes nothing. On failure
 * nothing is written, and the caller may roll back what it did before.
 */
export async function applyMovement(em: EntityManager, movement: Movement): Promise<MovementOutcome> {
  const planned = await planMovement(em, movement);
  return planned.ok ? writeMovement(em, planned) : planned;
}
