import { EntitySchema } from '@mikro-orm/postgresql';

/** One product in a cart, 1 to MAX_LINE_QUANTITY of it. It holds no price: prices are always the catalog's current ones. */
export class CartLine {
  id!: string;
  cartId!: string;
  productId!: string;
  quantity!: number;
  addedAt!: Date;
}

export const CartLineSchema = new EntitySchema<CartLine>({
  class: CartLine,
  tableName: 'cart_lines',
  properties: {
    id: { type: 'uuid', primary: true },
    cartId: { type: 'uuid' },
    productId: { type: 'uuid' },
    quantity: { type: 'integer' },
    addedAt: { type: 'datetime' },
  },
});
