import { EntityManager } from '@mikro-orm/postgresql';
import { isId, newId } from '@shop/platform';
import { Cart } from './cart.entity';

interface CartRow { id: string; owner_id: string | null; coupon_code: string | null; created_at: Date; updated_at: Date }

const COLUMNS = 'id, owner_id, coupon_code, created_at, updated_at';

/** A row as a plain Cart, outside any identity map (commands write with SQL). */
function toCart(row: CartRow): Cart {
  return Object.assign(new Cart(), {
    id: row.id, ownerId: row.owner_id, couponCode: row.coupon_code, createdAt: row.created_at, updatedAt: row.updated_at,
  });
}

/** Reads a cart and, inside a transaction, locks it until the transaction ends: commands on one cart queue up. */
export async function lockCart(em: EntityManager, id: string | null | undefined): Promise<Cart | null> {
  if (!isId(id)) return null;
  const lock = em.isInTransaction() ? ' FOR UPDATE' : '';
  const [row] = await em.execute<CartRow[]>(`SELECT ${COLUMNS} FROM carts WHERE id = ?${lock}`, [id]);
  return row ? toCart(row) : null;
}

/** The user's cart, locked, created first when they have none (one per user, even when two requests race). */
export async function lockOwnerCart(em: EntityManager, ownerId: string): Promise<{ cart: Cart; created: boolean }> {
  const inserted = await em.execute<{ id: string }[]>(
    `INSERT INTO carts (id, owner_id, coupon_code, created_at, updated_at) VALUES (?, ?, NULL, now(), now())
     ON CONFLICT (owner_id) WHERE owner_id IS NOT NULL DO NOTHING RETURNING id`, [newId(), ownerId]);
  const [row] = await em.execute<CartRow[]>(`SELECT ${COLUMNS} FROM carts WHERE owner_id = ? FOR UPDATE`, [ownerId]);
  return { cart: toCart(row), created: inserted.length === 1 };
}

/** Locks a cart and marks it changed now, in one statement (a refused command rolls the mark back with the rest). */
export async function lockAndTouchCart(em: EntityManager, id: string | null | undefined): Promise<Cart | null> {
  if (!isId(id)) return null;
  const [row] = await em.execute<CartRow[]>(`UPDATE carts SET updated_at = now() WHERE id = ? RETURNING ${COLUMNS}`, [id]);
  return row ? toCart(row) : null;
}

/** The user's cart, locked and marked changed now; created first when they have none. */
export async function lockAndTouchOwnerCart(em: EntityManager, ownerId: string): Promise<{ cart: Cart; created: boolean }> {
  const [row] = await em.execute<CartRow[]>(`UPDATE carts SET updated_at = now() WHERE owner_id = ? RETURNING ${COLUMNS}`, [ownerId]);
  return row ? { cart: toCart(row), created: false } : lockOwnerCart(em, ownerId);
}

/** A new guest cart: no owner, its id is the guest's handle. */
export async function createGuestCart(em: EntityManager): Promise<Cart> {
  const [row] = await em.execute<CartRow[]>(
    `INSERT INTO carts (id, owner_id, coupon_code, created_at, updated_at) VALUES (?, NULL, NULL, now(), now()) RETURNING ${COLUMNS}`,
    [newId()]);
  return toCart(row);
}

/** Marks the cart changed now. */
export async function touchCart(em: EntityManager, id: string): Promise<void> {
  await em.execute('UPDATE carts SET updated_at = now() WHERE id = ?', [id]);
}
