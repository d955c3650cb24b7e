import { EntityManager } from '@mikro-orm/postgresql';
import { CartContext, refreshView } from '../context';
import { CartRefusal, CartResult } from './cart-result';

/**
 * Runs a cart command in one transaction. A CartRefusal thrown inside rolls
 * everything back (a guest cart created on the way included) and becomes
 * the answer; after a commit, the request reads the stored state afresh.
 */
export async function runCartCommand(ctx: CartContext, command: (em: EntityManager) => Promise<CartResult>): Promise<CartResult> {
  try {
    const result = await ctx.em.transactional(command);
    refreshView(ctx);
    return result;
  } catch (e) {
    if (e instanceof CartRefusal) return e.result;
    throw e;
  }
}
