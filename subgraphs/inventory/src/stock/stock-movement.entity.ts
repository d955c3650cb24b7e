import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';

/** Why a product's stock changed; the checkout saga adds RESERVE, RELEASE, SALE and RETURN movements. */
export type MovementReason = 'SET_STOCK' | 'RESERVE' | 'RELEASE' | 'SALE' | 'RETURN';

export const MOVEMENT_REASONS: readonly MovementReason[] = ['SET_STOCK', 'RESERVE', 'RELEASE', 'SALE', 'RETURN'];

/**
 * One line of the stock ledger: a change of one product's stock, with the
 * counts it left behind and the version it produced. Rows are only ever
 * inserted; replaying a product's rows in version order rebuilds its stock.
 */
export class StockMovement {
  id!: string;
  productId!: string;
  onHandDelta!: number;
  reservedDelta!: number;
  onHandAfter!: number;
  reservedAfter!: number;
  version!: number;
  reason!: MovementReason;
  /** What caused it, e.g. an order id for the saga's movements; null for an admin's SET_STOCK. */
  reference?: string | null;
  createdAt!: Date;
}

export const StockMovementSchema = new EntitySchema<StockMovement>({
  class: StockMovement,
  tableName: 'stock_movements',
  properties: {
    id: { type: 'uuid', primary: true },
    productId: { type: 'uuid' },
    onHandDelta: { type: 'integer' },
    reservedDelta: { type: 'integer' },
    onHandAfter: { type: 'integer' },
    reservedAfter: { type: 'integer' },
    version: { type: new BigIntType('number') },
    reason: { type: 'string' },
    reference: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
  },
});
