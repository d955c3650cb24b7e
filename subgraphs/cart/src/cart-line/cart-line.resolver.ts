import { money } from '@shop/platform';
import { Resolvers } from '../generated/graphql';
import { addToCart } from './add-to-cart.service';
import { removeCartLine, updateCartLine } from './cart-line.service';

export const cartLineResolvers: Resolvers = {
  Mutation: {
    addToCart: (_root, { input }, ctx) => addToCart(ctx, input),
    updateCartLine: (_root, { cartId, lineId, quantity }, ctx) => updateCartLine(ctx, cartId, lineId, quantity),
    removeCartLine: (_root, { cartId, lineId }, ctx) => removeCartLine(ctx, cartId, lineId),
  },
  CartLine: {
    id: ({ line }) => line.id,
    product: ({ line }) => ({ __typename: 'Product', id: line.productId }),
    quantity: ({ line }) => line.quantity,
    unitPrice: ({ unitPrice }) => unitPrice,
    lineTotal: ({ line, unitPrice }) => money(unitPrice.amount * line.quantity, unitPrice.currency),
  },
};
