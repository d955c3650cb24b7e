import { EventMap, newId } from '@shop/platform';
import { Stack } from './stack';
import { gql } from './graphql-client';
import { eventually } from './eventually';
import { subgraphSql } from './database';
import { outboxRelayed, publish, storedEventsOf } from './events';

/** Runs SQL against the returns subgraph's own database. */
export function returnsSql<T = any>(stack: Stack, sql: string, params: unknown[] = []): Promise<T[]> {
  return subgraphSql<T>(stack, 'returns', sql, params);
}

export interface DeliveredLineSpec { unitPrice: number; quantity: number; productId?: string; lineId?: string; name?: string }

let number = 0;

/** orders.order.delivered for an order of `customerId`, as orders publishes it (EUR, shipping 499). */
export function delivered(
  customerId: string, lines: DeliveredLineSpec[], options: { orderId?: string; discount?: number; deliveredAt?: Date } = {},
): EventMap['orders.order.delivered'] {
  number += 1;
  const subtotal = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  const discount = options.discount ?? 0;
  return {
    orderId: options.orderId ?? newId(), number: `SO-R${String(number).padStart(5, '0')}`, customerId, currency: 'EUR',
    lines: lines.map((l, i) => ({
      lineId: l.lineId ?? newId(), productId: l.productId ?? newId(), name: l.name ?? `Returned thing ${i + 1}`,
      quantity: l.quantity, unitPrice: { amount: l.unitPrice, currency: 'EUR' },
    })),
    subtotal, discount, shippingTotal: 499, total: subtotal - discount + 499,
    deliveredAt: (options.deliveredAt ?? new Date()).toISOString(),
  };
}

/** Publishes a delivery and waits until returns knows the order. */
export async function deliver(stack: Stack, data: EventMap['orders.order.delivered']): Promise<EventMap['orders.order.delivered']> {
  await publish(stack, 'orders.order.delivered', data);
  await eventually(async () => (await returnsSql(stack, 'SELECT 1 FROM delivered_orders WHERE id = ?', [data.orderId])).length === 1,
    `returns knows order ${data.orderId}`);
  return data;
}

export const RETURN_FIELDS = `id status reason createdAt decidedAt rejectionReason restockedAt refundedAt
  refundAmount { amount currency } refundedAmount { amount currency }
  lines { id quantity unitPrice { amount currency } lineTotal { amount currency } product { id } }`;

export const REQUEST_RETURN = `mutation($o: ID!, $l: [ID!]!, $r: String!) {
  requestReturn(orderId: $o, lineIds: $l, reason: $r) { returnRequest { ${RETURN_FIELDS} } userErrors { code field message } }
}`;
export const APPROVE_RETURN = `mutation($id: ID!) { approveReturn(id: $id) { returnRequest { ${RETURN_FIELDS} } userErrors { code field message } } }`;
export const REJECT_RETURN = `mutation($id: ID!, $r: String!) {
  rejectReturn(id: $id, reason: $r) { returnRequest { ${RETURN_FIELDS} } userErrors { code field message } }
}`;
export const RETURN_REQUESTS = `query($first: Int, $after: String, $status: ReturnStatus) {
  returnRequests(first: $first, after: $after, status: $status) {
    edges { cursor node { ${RETURN_FIELDS} order { id } } } pageInfo { hasNextPage endCursor } totalCount
  }
}`;

/** One return request as an ADMIN sees it in the returns queue. */
export async function returnAsAdmin(stack: Stack, adminToken: string, id: string): Promise<any> {
  for (let after: string | null = null; ;) {
    const res: any = await stack.gql(RETURN_REQUESTS, { first: 100, after }, adminToken);
    const page = res.data.returnRequests;
    const found = page.edges.find((e: any) => e.node.id === id);
    if (found) return found.node;
    if (!page.pageInfo.hasNextPage) return null;
    after = page.pageInfo.endCursor;
  }
}

/** Waits until returns' outbox is relayed, then returns the data of its events of one type about one return. */
export async function returnEvents<T extends 'returns.return.requested' | 'returns.return.approved' | 'returns.return.rejected' | 'returns.return.refunded'>(
  stack: Stack, type: T, returnId: string,
): Promise<EventMap[T][]> {
  await outboxRelayed(stack, 'returns');
  return (await storedEventsOf(stack, type)).map((e) => e.event.data).filter((data) => data.returnId === returnId);
}

/** Order.returns straight at the returns subgraph, as the gateway would ask for it. */
export function orderReturnsAtSubgraph(stack: Stack, orderIds: string[], token?: string | null) {
  return gql(stack.subgraphs.returns!.url,
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id returns { id status } } } }',
    { r: orderIds.map((id) => ({ __typename: 'Order', id })) }, token);
}
