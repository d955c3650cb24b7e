import { newId } from '@shop/platform';
import { AuthorizationRequest, AuthorizationResult, PaymentProvider } from './payment-provider';

/** The state of one authorization at the test provider. */
export interface TestCharge {
  reference: string;
  orderId: string;
  amount: number;
  currency: string;
  state: 'AUTHORIZED' | 'CAPTURED' | 'VOIDED' | 'REFUNDED';
  captured: number;
  refunded: number;
}

/** Test tokens and what they do; any other token is declined as unknown. */
const DECLINES: Record<string, string | null> = {
  tok_visa: null,
  tok_chargeDeclined: 'Your card was declined',
};

/**
 * A provider that charges nobody, for development and tests: `tok_visa`
 * approves, `tok_chargeDeclined` declines. It keeps its answers in memory,
 * per order id as a real provider keeps idempotency keys, so its
 * idempotency lasts as long as the process.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';
  private readonly answers = new Map<string, AuthorizationResult>();
  private readonly charges = new Map<string, TestCharge>();
  /** How often `authorize` was called per order id (tests prove exactly-once with it). */
  readonly authorizeCalls = new Map<string, number>();

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    this.authorizeCalls.set(request.orderId, (this.authorizeCalls.get(request.orderId) ?? 0) + 1);
    const previous = this.answers.get(request.orderId);
    if (previous) return previous;
    const reason = request.token in DECLINES ? DECLINES[request.token] : 'Unknown payment token';
    let answer: AuthorizationResult;
    if (reason === null) {
      const reference = `test_auth_${newId()}`;
      this.charges.set(reference, {
        reference, orderId: request.orderId, amount: request.amount, currency: request.currency, state: 'AUTHORIZED', captured: 0, refunded: 0,
      });
      answer = { approved: true, reference };
    } else {
      answer = { approved: false, reason };
    }
    this.answers.set(request.orderId, answer);
    return answer;
  }

  async void(reference: string): Promise<void> {
    const charge = this.charge(reference);
    if (charge.state === 'VOIDED') return;
    if (charge.state !== 'AUTHORIZED') throw new Error(`test provider: cannot void a ${charge.state} charge`);
    charge.state = 'VOIDED';
  }

  async capture(reference: string, amount: number): Promise<void> {
    const charge = this.charge(reference);
    if (charge.state === 'CAPTURED') return;
    if (charge.state !== 'AUTHORIZED' || amount > charge.amount) throw new Error(`test provider: cannot capture ${amount} of a ${charge.state} charge`);
    charge.state = 'CAPTURED';
    charge.captured = amount;
  }

  async refund(reference: string, amount: number): Promise<void> {
    const charge = this.charge(reference);
    if (charge.state === 'REFUNDED') return;
    if (charge.state !== 'CAPTURED' || amount > charge.captured) throw new Error(`test provider: cannot refund ${amount} of a ${charge.state} charge`);
    charge.state = 'REFUNDED';
    charge.refunded = amount;
  }

  /** Every authorization the provider made for an order (idempotency keeps it to one). */
  chargesFor(orderId: string): TestCharge[] {
    return [...this.charges.values()].filter((charge) => charge.orderId === orderId);
  }

  /** What the provider holds under a reference. */
  charge(reference: string): TestCharge {
    const charge = this.charges.get(reference);
    if (!charge) throw new Error(`test provider: no charge ${reference}`);
    return charge;
  }
}
