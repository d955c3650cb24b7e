/**
 * The inbox row of one event, for a handler that does all its work in ONE
 * statement outside any transaction (`ConsumerSpec.handleAtOnce`): the
 * statement reads and claims the row itself, so the claim and the effects
 * commit together, or neither does. Its snippets go where their names say;
 * `NO_INBOX` has empty ones, for the same statement run inside a
 * transaction that claimed the event already.
 */
export interface InboxClaim {
  /** Opens the WITH list, `WITH ${inbox.seenCte}first AS (...)`: a CTE `seen` holding a row when the event was handled before. */
  readonly seenCte: string;
  /** Its values, where `seenCte` stands among the statement's parameters. */
  readonly seenParams: unknown[];
  /** ANDed into the WHERE of the write everything else follows from: true while the event was not handled before. */
  readonly unseen: string;
  /** An expression, true when the event was handled before. */
  readonly seenBefore: string;
  /**
   * Closes the WITH list, `)${inbox.claimCte('level')} SELECT ...`: claims
   * the event once `done` (a CTE of the statement) holds a row. A copy of
   * the event handled at the same time claims it first: this statement then
   * fails on the inbox's key, writing nothing, and the copy is acked as a
   * duplicate (`isInboxConflict`).
   */
  claimCte(done: string): string;
  /** Its values, where `claimCte` stands among the statement's parameters. */
  readonly claimParams: unknown[];
}

/** The inbox row of `eventId` for `consumer`, as `processed_events` holds it. */
export function inboxClaim(consumer: string, eventId: string): InboxClaim {
  return {
    seenCte: 'seen AS (SELECT 1 FROM processed_events WHERE consumer = ? AND event_id = ?::uuid), ',
    seenParams: [consumer, eventId],
    unseen: 'AND NOT EXISTS (SELECT 1 FROM seen)',
    seenBefore: 'EXISTS (SELECT 1 FROM seen)',
    claimCte: (done) => `, claim AS (INSERT INTO processed_events (consumer, event_id, processed_at)
       SELECT ?, ?::uuid, now() WHERE EXISTS (SELECT 1 FROM ${done}))`,
    claimParams: [consumer, eventId],
  };
}

/** No inbox in the statement: the transaction it runs in claimed the event. */
export const NO_INBOX: InboxClaim = { seenCte: '', seenParams: [], unseen: '', seenBefore: 'false', claimCte: () => '', claimParams: [] };

/** Whether a statement failed because another copy of its event claimed the inbox row first. */
export function isInboxConflict(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string } | null;
  return err?.code === '23505' && err.constraint === 'processed_events_pkey';
}
