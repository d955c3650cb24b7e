import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { DeliveredLine } from '../order/delivered-order.entity';
import { ReturnLine } from './return-request.entity';

/** The lines of return requests, two statements per tick however many returns a request shows. */
export function returnLinesLoader(em: EntityManager): DataLoader<string, DeliveredLine[]> {
  return new DataLoader(async (returnIds) => {
    const links = await em.find(ReturnLine, { returnId: { $in: [...returnIds] } });
    const lines = links.length
      ? await em.find(DeliveredLine, { id: { $in: [...new Set(links.map((l) => l.lineId))] } }, { orderBy: { position: 'ASC' } })
      : [];
    const byReturn = new Map<string, Set<string>>();
    for (const link of links) byReturn.set(link.returnId, (byReturn.get(link.returnId) ?? new Set()).add(link.lineId));
    return returnIds.map((id) => lines.filter((line) => byReturn.get(id)?.has(line.id)));
  });
}
