/**
 * The inbox row of one event, for a handler that does all its work in ONE
 * statement outside any transaction (`ConsumerSpec.handleAtOnce`): the
 * statement reads and claims the row itself, so the claim and the effects
 * commit together, or neither does. Each snippet takes `params` (the
 * consumer and the event id) at its place in the statement.
 */
export interface InboxClaim {
  /** A CTE body that selects a row when the event was handled before: `WITH seen AS (${inbox.seen}), ...`; gate every write on `NOT EXISTS (SELECT 1 FROM seen)`. */
  readonly seen: string;
  /**
   * A CTE body that claims the event once `done` (a CTE of the statement)
   * holds a row: `claim AS (${inbox.claimWhen('level')})`. A copy of the
   * event handled at the same time claims it first: this statement then
   * fails on the inbox's key, writing nothing, and the copy is acked as a
   * duplicate (`isInboxConflict`).
   */
  claimWhen(done: string): string;
  /** The values of either snippet, in the statement's parameters where the snippet stands. */
  readonly params: [string, string];
}

/** The inbox row of `eventId` for `consumer`, as `processed_events` holds it. */
export function inboxClaim(consumer: string, eventId: string): InboxClaim {
  return {
    seen: 'SELECT 1 FROM processed_events WHERE consumer = ? AND event_id = ?::uuid',
    claimWhen: (done) => `INSERT INTO processed_events (consumer, event_id, processed_at)
       SELECT ?, ?::uuid, now() WHERE EXISTS (SELECT 1 FROM ${done})`,
    params: [consumer, eventId],
  };
}

/** Whether a statement failed because another copy of its event claimed the inbox row first. */
export function isInboxConflict(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string } | null;
  return err?.code === '23505' && err.constraint === 'processed_events_pkey';
}
