import { GraphQLError } from 'graphql';
import { badInput, isId, requireRole } from '@shop/platform';
import { InventoryContext } from '../context';
import { StockLevel } from './stock-level.entity';
import { MAX_ON_HAND, applyMovement } from './movement.service';
import { onHandSchema } from './stock.validation';

function unknownProduct(): GraphQLError {
  return new GraphQLError('No product has this id (or inventory has not heard of it yet)', { extensions: { code: 'NOT_FOUND' } });
}

/** ADMIN: sets a product's units on hand, recording a SET_STOCK movement. */
export async function setStock(ctx: InventoryContext, productId: string, onHand: number): Promise<StockLevel> {
  requireRole(ctx.identity, 'ADMIN');
  if (!isId(productId)) throw unknownProduct();
  const checked = onHandSchema.safeParse(onHand);
  if (!checked.success) throw badInput(checked.error.issues[0].message, 'onHand');

  const outcome = await ctx.em.transactional((em) => applyMovement(em, { productId, reason: 'SET_STOCK', onHand: { to: checked.data } }));
  if (outcome.ok) {
    if (outcome.changed) ctx.eventsRecorded();
    return outcome.level;
  }
  switch (outcome.code) {
    case 'UNKNOWN_PRODUCT': throw unknownProduct();
    case 'INSUFFICIENT_STOCK':
      throw badInput(`onHand may not be below the ${outcome.current?.reserved} units reserved for orders`, 'onHand');
    case 'TOO_MUCH_STOCK': throw badInput(`onHand may be at most ${MAX_ON_HAND}`, 'onHand');
    case 'NOT_RESERVED': throw new Error('setStock never releases reserved units');
  }
}

/** The exact counts are for ADMINs; everyone else sees only availability. */
export function adminCount(ctx: InventoryContext, count: number): number {
  requireRole(ctx.identity, 'ADMIN');
  return count;
}
