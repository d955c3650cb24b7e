import { performance } from 'node:perf_hooks';
import { NatsConnection, Subscription } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { PlatformConfig, connectNats, streamName, subjectOf } from '@shop/platform';

/** The saga's steps before the outcome, in order: the event that ends each one. */
export const SAGA_STEPS = ['orders.order.placed', 'inventory.stock.reserved', 'payments.payment.authorized'] as const;

export interface Outcome {
  status: 'CONFIRMED' | 'CANCELLED';
  reason: string | null;
  at: number;
  /** When each saga event of the order was seen (absent when it was not, e.g. a reservation that failed). */
  steps: Partial<Record<(typeof SAGA_STEPS)[number], number>>;
}

/**
 * When each order reached CONFIRMED or CANCELLED, as seen on the event bus.
 * Polling `order(id)` through the gateway would add load to the very path
 * being measured and round its timings up to the polling interval; a core
 * NATS subscription to the status-changed subject costs the shop nothing.
 * The event may arrive before the checkout response does, so outcomes are
 * kept until someone asks for them. The saga's intermediate events are
 * timed too: they show which hop the time goes to.
 */
export class OrderOutcomes {
  readonly subject: string;
  private readonly steps = new Map<string, Outcome['steps']>();
  private readonly outcomes = new Map<string, Outcome>();
  private readonly waiters = new Map<string, (o: Outcome) => void>();
  private nc: NatsConnection | null = null;
  private readonly subs: Subscription[] = [];

  constructor(config: PlatformConfig) {
    this.subject = subjectOf(config.eventPrefix, 'orders.order.status-changed');
  }

  async start(config: PlatformConfig): Promise<void> {
    this.nc = await connectNats(config, 'bench-order-outcomes');
    const prefix = config.eventPrefix;
    for (const step of SAGA_STEPS) {
      this.subs.push(this.nc.subscribe(subjectOf(prefix, step), {
        callback: (err, msg) => {
          const at = performance.now();
          const orderId = err ? undefined : parse(msg.data)?.orderId;
          if (!orderId || this.outcomes.has(orderId)) return;
          const steps = this.steps.get(orderId) ?? {};
          steps[step] ??= at;
          this.steps.set(orderId, steps);
        },
      }));
    }
    this.subs.push(this.nc.subscribe(this.subject, {
      callback: (err, msg) => {
        const at = performance.now();
        const data = err ? undefined : parse(msg.data);
        if (!data?.orderId || (data.status !== 'CONFIRMED' && data.status !== 'CANCELLED')) return;
        // Only the first final status counts (a later admin cancel is not the saga's outcome).
        if (this.outcomes.has(data.orderId)) return;
        const outcome: Outcome = { status: data.status, reason: data.reason ?? null, at, steps: this.steps.get(data.orderId) ?? {} };
        this.steps.delete(data.orderId);
        this.outcomes.set(data.orderId, outcome);
        this.waiters.get(data.orderId)?.(outcome);
        this.waiters.delete(data.orderId);
      },
    }));
    // The subscription must be known to the server before the first checkout.
    await this.nc.flush();
  }

  /** The order's outcome, or null when none arrives within `ms`. */
  wait(orderId: string, ms: number): Promise<Outcome | null> {
    const known = this.outcomes.get(orderId);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.waiters.delete(orderId); resolve(null); }, ms);
      this.waiters.set(orderId, (o) => { clearTimeout(timer); resolve(o); });
    });
  }

  /** How many events the shop's stream holds: events published per order, read at both ends of the window. */
  async streamMessages(prefix: string): Promise<number> {
    const jsm = await jetstreamManager(this.nc!);
    return (await jsm.streams.info(streamName(prefix))).state.messages;
  }

  async stop(): Promise<void> {
    for (const sub of this.subs) sub.unsubscribe();
    await this.nc?.drain().catch(() => undefined);
  }
}

function parse(body: Uint8Array): { orderId?: string; status?: string; reason?: string | null } | undefined {
  try { return JSON.parse(Buffer.from(body).toString('utf8'))?.data; } catch { return undefined; }
}
