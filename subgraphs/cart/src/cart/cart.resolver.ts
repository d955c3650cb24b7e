import { Resolvers } from '../generated/graphql';
import { CART_CURRENCY } from './cart-currency';
import * as carts from './cart.service';

export const cartResolvers: Resolvers = {
  Query: {
    cart: (_root, { id }, ctx) => carts.cart(ctx, id),
  },
  Cart: {
    __resolveReference: (ref, ctx) => carts.cartById(ctx, ref.id),
    currency: () => CART_CURRENCY,
    lines: async (cart, _args, ctx) => (await ctx.loaders.pricing.load(cart.id)).lines,
    subtotal: async (cart, _args, ctx) => (await ctx.loaders.pricing.load(cart.id)).subtotal,
  },
  User: {
    cart: (user, _args, ctx) => carts.userCart(ctx, user.id, user.viewerGrant),
  },
  CartPayload: {
    cart: (payload, _args, ctx) => (payload.cartId ? ctx.loaders.cartView.load(payload.cartId) : null),
  },
};
