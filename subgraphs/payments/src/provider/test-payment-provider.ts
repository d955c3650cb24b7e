import { newId } from '@shop/platform';
import { AuthorizationRequest, AuthorizationResult, PaymentProvider } from './payment-provider';

/** One refund the test provider paid. */
export interface TestRefund { reference: string; idempotencyKey: string; amount: number }

/** The state of one authorization at the test provider. */
export interface TestCharge {
  reference: string;
  orderId: string;
  amount: number;
  currency: string;
  /** REFUNDED only once every captured cent is back; a partly refunded charge stays CAPTURED. */
  state: 'AUTHORIZED' | 'CAPTURED' | 'VOIDED' | 'REFUNDED';
  captured: number;
  refunded: number;
  refunds: TestRefund[];
}

/** One call the provider received, with its arguments, in the order they came. */
export type ProviderCall =
  | { method: 'authorize'; request: AuthorizationRequest }
  | { method: 'capture'; reference: string; amount: number }
  | { method: 'void'; reference: string }
  | { method: 'refund'; reference: string; amount: number; idempotencyKey: string };

/** Test tokens and what they do; any other token is declined as unknown. */
const DECLINES: Record<string, string | null> = {
  tok_visa: null,
  tok_chargeDeclined: 'Your card was declined',
};

/**
 * A provider that charges nobody, for development and tests: `tok_visa`
 * approves, `tok_chargeDeclined` declines. It keeps its answers in memory,
 * per order id and per refund idempotency key as a real provider keeps
 * idempotency keys, so its idempotency lasts as long as the process. Every
 * call is recorded in `calls`, so tests can count what reached it.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';
  private readonly answers = new Map<string, AuthorizationResult>();
  private readonly charges = new Map<string, TestCharge>();
  private readonly refundsByKey = new Map<string, TestRefund>();
  /** Every call received, idempotent repeats included. */
  readonly calls: ProviderCall[] = [];

  /** How often `authorize` was called per order id (tests prove exactly-once with it). */
  get authorizeCalls(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const call of this.calls) {
      if (call.method === 'authorize') counts.set(call.request.orderId, (counts.get(call.request.orderId) ?? 0) + 1);
    }
    return counts;
  }

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    this.calls.push({ method: 'authorize', request });
    const previous = this.answers.get(request.orderId);
    if (previous) return previous;
    const reason = request.token in DECLINES ? DECLINES[request.token] : 'Unknown payment token';
    let answer: AuthorizationResult;
    if (reason === null) {
      const reference = `test_auth_${newId()}`;
      this.charges.set(reference, {
        reference, orderId: request.orderId, amount: request.amount, currency: request.currency,
        state: 'AUTHORIZED', captured: 0, refunded: 0, refunds: [],
      });
      answer = { approved: true, reference };
    } else {
      answer = { approved: false, reason };
    }
    this.answers.set(request.orderId, answer);
    return answer;
  }

  async void(reference: string): Promise<void> {
    this.calls.push({ method: 'void', reference });
    const charge = this.charge(reference);
    if (charge.state === 'VOIDED') return;
    if (charge.state !== 'AUTHORIZED') throw new Error(`test provider: cannot void a ${charge.state} charge`);
    charge.state = 'VOIDED';
  }

  async capture(reference: string, amount: number): Promise<void> {
    this.calls.push({ method: 'capture', reference, amount });
    const charge = this.charge(reference);
    if (charge.state === 'CAPTURED' || charge.state === 'REFUNDED') return;
    if (charge.state !== 'AUTHORIZED' || amount > charge.amount) throw new Error(`test provider: cannot capture ${amount} of a ${charge.state} charge`);
    charge.state = 'CAPTURED';
    charge.captured = amount;
  }

  async refund(reference: string, amount: number, idempotencyKey: string): Promise<string> {
    this.calls.push({ method: 'refund', reference, amount, idempotencyKey });
    const previous = this.refundsByKey.get(idempotencyKey);
    if (previous) return previous.reference;
    const charge = this.charge(reference);
    const refundable = charge.captured - charge.refunded;
    if (charge.state !== 'CAPTURED' || !Number.isInteger(amount) || amount <= 0 || amount > refundable) {
      throw new Error(`test provider: cannot refund ${amount} of a ${charge.state} charge with ${refundable} refundable`);
    }
    const refund: TestRefund = { reference: `test_refund_${newId()}`, idempotencyKey, amount };
    this.refundsByKey.set(idempotencyKey, refund);
    charge.refunds.push(refund);
    charge.refunded += amount;
    if (charge.refunded === charge.captured) charge.state = 'REFUNDED';
    return refund.reference;
  }

  /** The calls about one order (its authorization, and every call naming its charge), optionally of one method. */
  callsFor(orderId: string, method?: ProviderCall['method']): ProviderCall[] {
    const references = new Set(this.chargesFor(orderId).map((charge) => charge.reference));
    return this.calls.filter((call) => (method === undefined || call.method === method)
      && (call.method === 'authorize' ? call.request.orderId === orderId : references.has(call.reference)));
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
