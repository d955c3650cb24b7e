import { callSubgraph } from '@shop/platform';
import { AccountsContext } from '../context';

const MERGE = 'mutation($g: ID!) { mergeGuestCart(guestCartId: $g) }';

/**
 * Has cart merge the guest cart into the user's before login answers, as
 * the user just signed in (their new access token). Cart being unreachable
 * does not refuse the sign-in: the `accounts.user.logged-in` event merges
 * it a little later instead.
 */
export async function mergeGuestCartNow(ctx: AccountsContext, accessToken: string, guestCartId: string): Promise<void> {
  try {
    await callSubgraph(ctx.config, 'cart', MERGE, { g: guestCartId }, `Bearer ${accessToken}`);
  } catch (err) {
    ctx.log.warn({ err, guestCartId }, 'guest cart not merged at login; the logged-in event will merge it');
  }
}
