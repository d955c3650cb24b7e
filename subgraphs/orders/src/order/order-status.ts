import { OrderStatus } from './order.entity';

/** Every legal move of an order's status; anything else is refused here and nowhere else. */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: ['RETURN_REQUESTED'],
  RETURN_REQUESTED: ['RETURNED', 'DELIVERED'],
  RETURNED: [],
  CANCELLED: [],
};

export class IllegalTransition extends Error {
  constructor(readonly from: OrderStatus, readonly to: OrderStatus) {
    super(`An order cannot go from ${from} to ${to}`);
  }
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Checks a transition, throwing IllegalTransition when the state machine forbids it. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransition(from, to);
}

/** Whether the customer may still cancel (before it ships). */
export function isCancellable(status: OrderStatus): boolean {
  return canTransition(status, 'CANCELLED');
}
