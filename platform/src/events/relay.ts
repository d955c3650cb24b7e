import { MikroORM } from '@mikro-orm/postgresql';
import { JetStreamClient } from '@nats-io/jetstream';
import { Logger } from '../logger';
import { EventEnvelope, subjectOf } from './contracts';
import { eventHeaders } from '../observability/event-observation';
import { outsideRequest } from '../observability/request-context';
import { inPlainTransaction } from '../db/plain-transaction';

/** The part of a JetStream client the relay needs. */
export type Publisher = Pick<JetStreamClient, 'publish'>;

interface OutboxRow { seq: string; id: string; type: string; payload: any; occurred_at: Date; request_id: string | null; trace_context: string | null }

/** How much longer than pollMs an idle relay waits at most between polls. */
const IDLE_POLL_FACTOR = 8;

/**
 * Publishes the outbox to JetStream. Each event goes out with its id as the
 * message id, so a batch published again after a crash (before it was marked
 * sent) is dropped by the stream's duplicate window: each event lands once.
 * Rows are claimed with SKIP LOCKED, so several replicas can relay at once.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** The wait before the next poll: pollMs after a pass that published, doubling (to IDLE_POLL_FACTOR x) while passes find nothing. */
  private idleMs: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly js: Publisher,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly pollMs: number,
    private readonly batchSize = 200,
  ) {
    this.idleMs = pollMs;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a pass now (called after a transaction that recorded events commits). */
  kick(): void {
    if (this.stopped) return;
    this.idleMs = this.pollMs;
    if (this.running) { this.again = true; return; }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    // Kicked from a request's commit, yet a pass publishes everyone's events: its logs belong to no request.
    this.timer = outsideRequest(() => setTimeout(() => { this.timer = null; void this.pass(); }, ms));
  }

  private async pass(): Promise<void> {
    if (this.stopped || this.running) return;
    let published = 0;
    this.running = (async () => { published = await this.publishBatch(); })();
    try {
      await this.running;
    } catch (e) {
      this.log.error({ err: e }, 'outbox relay pass failed; retrying');
    } finally {
      this.running = null;
    }
    if (this.stopped) return;
    const more = published === this.batchSize || this.again;
    this.again = false;
    // Every commit that records events kicks the relay: polling only catches what no kick announced (a crash
    // before publishing, another replica's rows), so an idle relay polls less and less often.
    this.idleMs = published > 0 ? this.pollMs : Math.min(this.idleMs * 2, this.pollMs * IDLE_POLL_FACTOR);
    this.schedule(more ? 0 : this.idleMs);
  }

  /**
   * Publishes one batch of unpublished events and marks them sent; returns how many. The rows are claimed
   * and marked in one statement, in a plain transaction (no unit of work: the relay only runs its own SQL);
   * if a publish fails the transaction rolls back and they stay unpublished.
   */
  async publishBatch(): Promise<number> {
    return inPlainTransaction(this.orm, async (run) => {
      const rows = await run(
        `UPDATE outbox_events SET published_at = now() WHERE id IN (
           SELECT id FROM outbox_events WHERE published_at IS NULL ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED)
         RETURNING seq, id, type, payload, occurred_at, request_id, trace_context`, [this.batchSize]) as OutboxRow[];
      if (rows.length === 0) return 0;
      rows.sort((a, b) => Number(a.seq) - Number(b.seq));
      // Sent back to back on one connection, so the stream stores them in outbox order; all acks are awaited before the commit.
      await Promise.all(rows.map((row) => {
        const envelope: EventEnvelope = {
          id: row.id, type: row.type as EventEnvelope['type'], occurredAt: new Date(row.occurred_at).toISOString(), data: row.payload,
        };
        const headers = eventHeaders(row.request_id, row.trace_context);
        return this.js.publish(subjectOf(this.prefix, row.type), JSON.stringify(envelope), { msgID: row.id, ...(headers ? { headers } : {}) });
      }));
      return rows.length;
    });
  }
}
