import { ConsumerSpec, isId } from '@shop/platform';
import { mergeGuestCart } from './guest-cart-merge';

/**
 * The guest cart a user brought to a sign-in joins theirs. Login already
 * merges through `mergeGuestCart` before it answers; this consumer is the
 * fallback when that call failed, and finds nothing left to do otherwise.
 */
export const guestCartMergeConsumer: ConsumerSpec<'accounts.user.logged-in'> = {
  name: 'cart-guest-cart-merge',
  type: 'accounts.user.logged-in',
  async handle(em, event) {
    const { userId, guestCartId } = event.data ?? {};
    if (!isId(userId) || !isId(guestCartId)) return;
    await mergeGuestCart(em, userId, guestCartId);
  },
};
