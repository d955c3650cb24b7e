import { badInput } from './errors';

/** The most items one page may hold. */
export const MAX_PAGE_SIZE = 100;

/** Validates `first`: 0..100, or the default when omitted. */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 0) throw badInput('`first` must be a non-negative integer', 'first');
  if (first > MAX_PAGE_SIZE) throw badInput(`\`first\` may be at most ${MAX_PAGE_SIZE}`, 'first');
  return first;
}

/** Cursors are opaque to clients: base64url of a JSON array of sort keys. */
export function encodeCursor(keys: unknown[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): unknown[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(keys)) return keys;
  } catch {
    // fall through to the error below
  }
  throw badInput('`after` is not a valid cursor', 'after');
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Builds a connection from one page fetched with `size + 1` rows. */
export function toConnection<T>(rows: T[], size: number, totalCount: number, keysOf: (row: T) => unknown[]): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(keysOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount,
  };
}
