import { EntitySchema } from '@mikro-orm/postgresql';

/** A cart. No owner: a guest cart, usable by whoever holds its id. A user owns at most one. */
export class Cart {
  id!: string;
  ownerId!: string | null;
  /** Upper-cased code of the applied coupon; discounts owns the coupon itself. */
  couponCode!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
}

export const CartSchema = new EntitySchema<Cart>({
  class: Cart,
  tableName: 'carts',
  properties: {
    id: { type: 'uuid', primary: true },
    ownerId: { type: 'uuid', nullable: true },
    couponCode: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
