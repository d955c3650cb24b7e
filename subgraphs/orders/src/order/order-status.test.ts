import { IllegalTransition, assertTransition, canTransition, isCancellable } from './order-status';

describe('order state machine', () => {
  it('walks the happy path', () => {
    expect(() => {
      assertTransition('PENDING', 'CONFIRMED');
      assertTransition('CONFIRMED', 'SHIPPED');
      assertTransition('SHIPPED', 'DELIVERED');
      assertTransition('DELIVERED', 'RETURN_REQUESTED');
      assertTransition('RETURN_REQUESTED', 'RETURNED');
    }).not.toThrow();
  });

  it('refuses to leave a final status or to skip steps', () => {
    expect(() => assertTransition('CANCELLED', 'CONFIRMED')).toThrow(IllegalTransition);
    expect(() => assertTransition('PENDING', 'SHIPPED')).toThrow('An order cannot go from PENDING to SHIPPED');
    expect(canTransition('RETURNED', 'DELIVERED')).toBe(false);
    expect(canTransition('CONFIRMED', 'CONFIRMED')).toBe(false);
  });

  it('allows cancelling only before shipping', () => {
    expect(isCancellable('PENDING')).toBe(true);
    expect(isCancellable('CONFIRMED')).toBe(true);
    expect(isCancellable('SHIPPED')).toBe(false);
    expect(isCancellable('CANCELLED')).toBe(false);
  });
});
