import { Identity, Viewer, requireViewer } from '@shop/platform';
import { Cart } from './cart.entity';

/**
 * The caller, or null when anonymous. A bad or expired token is refused
 * (UNAUTHENTICATED) rather than served as a guest: a signed-in shopper whose
 * token expired must not silently get a fresh guest cart.
 */
export function callerOf(identity: Identity): Viewer | null {
  if (!identity.viewer && !identity.tokenError) return null;
  return requireViewer(identity);
}

/** A guest cart is anyone's who holds its id; an owned cart is only its owner's to change. */
export function mayUse(viewer: Viewer | null, cart: Pick<Cart, 'ownerId'>): boolean {
  return cart.ownerId === null || cart.ownerId === viewer?.userId;
}

/** Reading is also open to ADMINs (support looks at customers' carts). */
export function mayRead(viewer: Viewer | null, cart: Pick<Cart, 'ownerId'>): boolean {
  return mayUse(viewer, cart) || viewer?.role === 'ADMIN';
}
