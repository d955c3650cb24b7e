import { PaymentProvider } from './payment-provider';
import { TestPaymentProvider } from './test-payment-provider';

/**
 * The providers PAYMENT_PROVIDER can name. A real one plugs in here: a class
 * implementing PaymentProvider in src/provider/, built from its own
 * variables (e.g. STRIPE_SECRET_KEY), then PAYMENT_PROVIDER=stripe. Its
 * idempotency keys map onto the provider's `Idempotency-Key` header, which
 * must outlive redeliveries (Stripe keeps them 24 h):
 * - authorize: `Idempotency-Key: <orderId>` (a PaymentIntent with
 *   `capture_method: manual`);
 * - refund: `Idempotency-Key: <idempotencyKey>` as given (`return:<returnId>`
 *   or `cancel:<orderId>`), one partial refund each; the answer is the
 *   refund's id (`re_...`), stored with the refund;
 * - capture and void take no key: they act on the charge's own state, so
 *   "already captured" / "already cancelled" must be read as success.
 */
const PROVIDERS: Record<string, (env: NodeJS.ProcessEnv) => PaymentProvider> = {
  test: () => new TestPaymentProvider(),
};

/**
 * The provider PAYMENT_PROVIDER names; `test` unless NODE_ENV is
 * production, where it must be set explicitly (the test provider charges
 * nobody, so defaulting to it there would give goods away).
 */
export function paymentProviderFromEnv(env: NodeJS.ProcessEnv = process.env): PaymentProvider {
  const name = env.PAYMENT_PROVIDER ?? (env.NODE_ENV === 'production' ? undefined : 'test');
  if (!name) throw new Error('PAYMENT_PROVIDER must be set in production');
  const build = PROVIDERS[name];
  if (!build) throw new Error(`Unknown PAYMENT_PROVIDER "${name}" (known: ${Object.keys(PROVIDERS).join(', ')})`);
  return build(env);
}
