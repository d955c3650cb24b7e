import { OrderDeliveredData, newId } from '@shop/platform';
import { Stack } from './stack';
import { TestUser } from './users';
import { consumerCaughtUp, outboxRelayed, publish } from './events';

export const ADD_REVIEW = `mutation($p: ID!, $r: Int!, $b: String!) {
  addReview(productId: $p, rating: $r, body: $b) { id rating body createdAt author { id name } }
}`;

export const PRODUCT_REVIEWS = `query($id: ID!, $first: Int, $after: String) { product(id: $id) {
  id rating reviewCount
  reviews(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id rating body createdAt author { id name } } }
  }
} }`;

/** The orders.order.delivered payload of an order of `customer` holding one unit of each product. */
export function deliveredOrder(customer: TestUser, productIds: string[], orderId = newId()): OrderDeliveredData {
  const lines = productIds.map((productId) => ({
    lineId: newId(), productId, name: `Product ${productId.slice(0, 8)}`, quantity: 1, unitPrice: { amount: 1000, currency: 'EUR' },
  }));
  const subtotal = lines.length * 1000;
  return {
    orderId, number: `SHOP-${orderId.slice(0, 6)}`, customerId: customer.id, lines, currency: 'EUR',
    subtotal, discount: 0, shippingTotal: 499, total: subtotal + 499, deliveredAt: new Date().toISOString(),
  };
}

/** Publishes, as orders would, that an order of `customer` holding the products was delivered, and waits until reviews has handled it. */
export async function deliver(stack: Stack, customer: TestUser, productIds: string[], orderId?: string) {
  const event = await publish(stack, 'orders.order.delivered', deliveredOrder(customer, productIds, orderId));
  await consumerCaughtUp(stack, 'reviews-order-delivered');
  return event;
}

/** Waits until catalog's copy of the ratings holds every review added so far (catalog answers `rating` and `reviewCount`). */
export async function ratingsCopied(stack: Stack): Promise<void> {
  await outboxRelayed(stack, 'reviews');
  await consumerCaughtUp(stack, 'catalog-review-added');
}
