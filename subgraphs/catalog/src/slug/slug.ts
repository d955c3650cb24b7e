import { EntityManager } from '@mikro-orm/postgresql';
import { z } from '@shop/platform';

/** Lower-case letters and digits in dash-separated words. */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_MAX = 120;

export const slugSchema = z.string().trim()
  .max(SLUG_MAX, `At most ${SLUG_MAX} characters`)
  .regex(SLUG_PATTERN, 'Use lower-case letters and digits in dash-separated words, e.g. red-wool-scarf');

/** A slug from a display name: accents dropped, anything else than a-z0-9 becomes a dash. */
export function slugify(name: string, fallback: string): string {
  const slug = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').slice(0, SLUG_MAX - 8).replace(/^-+|-+$/g, '');
  return slug || fallback;
}

/** Tables whose `slug` column is unique. */
export type SlugTable = 'products' | 'categories';

/**
 * The first free slug among `base`, `base-2`, `base-3`... in one statement.
 * Two writers may still race to the same one; the unique index refuses the
 * second, which then asks again.
 */
export async function freeSlug(em: EntityManager, table: SlugTable, base: string): Promise<string> {
  const rows: { slug: string }[] = await em.execute(
    `SELECT slug FROM ${table} WHERE slug = ? OR slug LIKE ?`, [base, `${base}-%`]);
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}
