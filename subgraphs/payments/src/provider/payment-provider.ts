/** What the shop asks a payment provider to hold on the customer's card for one order. */
export interface AuthorizationRequest {
  /** Also the idempotency key: asking again for the same order returns the first answer, never a second hold. */
  orderId: string;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  /** The token the client got from the provider at checkout (tok_visa...), never card data. */
  token: string;
}

/** A decline is an answer, not an error; an error (outage, timeout) means "ask again later". */
export type AuthorizationResult = { approved: true; reference: string } | { approved: false; reason: string };

/**
 * A payment provider (a card processor). Every call must be idempotent:
 * the saga retries after crashes and outages. Implementations throw on
 * transport failures and should answer well within PROVIDER_TIMEOUT_MS.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Holds `amount` on the card; idempotent per `orderId`. */
  authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
  /** Releases an authorization that was never captured; voiding twice is harmless. */
  void(reference: string): Promise<void>;
  /**
   * Pays back `amount` (> 0, at most what is captured and not yet refunded)
   * of a captured charge, and answers the provider's reference of the
   * refund. A charge may be refunded in several parts; asking again with
   * the same `idempotencyKey` answers the first refund's reference and
   * pays nothing more.
   */
  refund(reference: string, amount: number, idempotencyKey: string): Promise<string>;
  /** Charges `amount` (at most the authorized amount) of an authorization; capturing twice is harmless. */
  capture(reference: string, amount: number): Promise<void>;
}

/**
 * How long a provider call may take. The call runs inside the event's
 * transaction, and the event is redelivered after 30 s without an ack, so a
 * hanging provider must fail well before that.
 */
export const PROVIDER_TIMEOUT_MS = 10_000;

/** Runs one provider call, failing (so the event is retried) when it takes longer than PROVIDER_TIMEOUT_MS. */
export async function callProvider<T>(what: string, call: () => Promise<T>, ms = PROVIDER_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`payment provider: ${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([call(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
