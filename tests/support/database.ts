import { SubgraphName } from '@shop/platform';
import { Stack } from './stack';

/** Runs SQL against one subgraph's own database (to observe or arrange what that subgraph stores). */
export function subgraphSql<T = any>(stack: Stack, name: SubgraphName, sql: string, params: unknown[] = []): Promise<T[]> {
  return stack.subgraphs[name]!.orm.em.fork().getConnection().execute(sql, params);
}
