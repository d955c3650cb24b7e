import DataLoader from 'dataloader';
import { EntityManager, EntityName } from '@mikro-orm/postgresql';
import { isId } from '../ids';

/** A DataLoader fetching rows by primary key `id` in one statement per tick; unknown and malformed ids load as null. */
export function byIdLoader<T extends { id: string }>(em: EntityManager, entity: EntityName<T>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const wellFormed = ids.filter(isId);
    const rows = wellFormed.length ? (await em.find(entity as EntityName<any>, { id: { $in: wellFormed } })) as T[] : [];
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** A DataLoader fetching all rows whose `key` column matches, grouped per key, in one statement per tick. */
export function groupLoader<T>(
  em: EntityManager, entity: EntityName<T>, key: keyof T & string, orderBy?: Record<string, 'ASC' | 'DESC'>,
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const rows = (await em.find(entity as EntityName<any>, { [key]: { $in: [...keys] } }, orderBy ? { orderBy } : {})) as T[];
    const groups = new Map<string, T[]>();
    for (const row of rows) {
      const k = String(row[key]);
      groups.set(k, [...(groups.get(k) ?? []), row]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}
