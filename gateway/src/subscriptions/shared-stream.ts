import WebSocket from 'ws';
import { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { Logger, Pushable, pushable } from '@shop/platform';
import { PlannedSubscription, SubscriptionServices, resolveEventOrFail, subscribeUpstream } from './federated-subscription';
import { UpstreamResult } from './upstream';
import { rawSocketOf, textFrame } from './frame';

/** Close code of a client socket that let too much undelivered data pile up (graphql-ws leaves 4000-4999 to applications). */
export const SLOW_CLIENT_CLOSE_CODE = 4413;

export interface SharedStreamOptions {
  services: SubscriptionServices;
  /** Masks and logs errors as the gateway does everywhere. */
  format(errors: readonly GraphQLError[]): GraphQLFormattedError[];
  /** A client socket holding more unsent bytes than this is closed with SLOW_CLIENT_CLOSE_CODE. */
  maxBufferedBytes: number;
  log: Logger;
}

/** One client operation (socket and graphql-ws id) reading a shared stream. */
class Member {
  /** The graphql-ws `next` message up to its payload, so that one serialized payload serves every member. */
  readonly prefix: string;
  /** What graphql-ws iterates: it yields nothing (results go to the socket directly) and ends with the stream. */
  readonly stream: Pushable<ExecutionResult>;
  /** Where whole frames go when the connection has no extension (see frame.ts); null: through ws's `send`. */
  private readonly raw: ReturnType<typeof rawSocketOf>;

  constructor(readonly socket: WebSocket, readonly id: string, readonly authorization: string | undefined, onLeave: (member: Member) => void) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    this.stream = pushable<ExecutionResult>(() => onLeave(this));
    this.raw = rawSocketOf(socket);
  }

  /**
   * Never waits on the client: a socket that does not keep up is closed
   * instead of holding the others back. `frames` holds this event's frame
   * for each graphql-ws id seen so far (clients often number their
   * operations alike, so most members share one buffer).
   */
  send(payload: string, frames: Map<string, Buffer>, maxBufferedBytes: number): void {
    const { socket } = this;
    if (socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > maxBufferedBytes) {
      socket.close(SLOW_CLIENT_CLOSE_CODE, 'Client too slow: undelivered messages exceeded the limit');
      return;
    }
    if (!this.raw) {
      socket.send(`${this.prefix}${payload}}`);
      return;
    }
    let frame = frames.get(this.id);
    if (!frame) {
      frame = textFrame(`${this.prefix}${payload}}`);
      frames.set(this.id, frame);
    }
    this.raw.write(frame);
  }
}

/**
 * One upstream operation, and per event one run of the entity fetches, one
 * shaping and one serialization, for every subscriber of the same
 * operation whose answer cannot differ (see sharing-policy.ts). Events are
 * handled one at a time, in order; each goes to the members present when it
 * is sent. The last member leaving ends the upstream operation and aborts
 * the fetches in flight. The upstream operation and every event's fetches
 * carry the request id of the member that started the stream.
 */
export class SharedStream {
  private readonly members = new Set<Member>();
  /** Whose token the fetches of an event carry: the newest member (the freshest token), none for a public stream. */
  private representative: Member | null = null;
  private readonly controller = new AbortController();
  private readonly upstream: AsyncIterableIterator<UpstreamResult>;
  private closed = false;
  /** False once the upstream operation refused or ended: a newcomer then starts a stream of its own. */
  joinable = true;

  constructor(
    private readonly sub: PlannedSubscription,
    /** Whether the stream runs with a member's token (role and user streams) or with none (public ones). */
    private readonly credentialed: boolean,
    private readonly options: SharedStreamOptions,
    private readonly onClosed: (stream: SharedStream) => void,
  ) {
    this.upstream = subscribeUpstream(credentialed ? sub : { ...sub, authorization: undefined }, options.services);
    void this.pump();
  }

  get size(): number {
    return this.members.size;
  }

  join(socket: WebSocket, id: string, authorization: string | undefined, onLeave: () => void): AsyncIterableIterator<ExecutionResult> {
    const member = new Member(socket, id, authorization, (m) => { onLeave(); this.leave(m); });
    this.members.add(member);
    if (this.credentialed) this.representative = member;
    return member.stream;
  }

  private leave(member: Member): void {
    if (!this.members.delete(member)) return;
    if (this.representative === member) {
      this.representative = null;
      for (const m of this.members) this.representative = m; // the newest left
    }
    if (this.members.size === 0) this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.joinable = false;
    this.onClosed(this);
    this.controller.abort();
    this.upstream.return?.().catch(() => undefined);
  }

  private async pump(): Promise<void> {
    let failure: unknown;
    try {
      for (;;) {
        const step = await this.upstream.next();
        if (step.done || this.closed) break;
        // An event without data is a refusal (UNAUTHENTICATED, FORBIDDEN...): the upstream ends after it, and nobody may join it.
        if (!step.value.data) { this.joinable = false; this.onClosed(this); }
        const authorization = this.credentialed ? this.representative?.authorization : undefined;
        const result = await resolveEventOrFail(step.value, { ...this.sub, authorization }, this.options.services, this.controller.signal);
        if (this.closed) break;
        this.broadcast(result);
      }
    } catch (e) {
      failure = e;
    }
    this.end(failure);
  }

  private broadcast(result: ExecutionResult): void {
    const payload = JSON.stringify(result.errors ? { ...result, errors: this.options.format(result.errors) } : result);
    const { maxBufferedBytes } = this.options;
    const frames = new Map<string, Buffer>();
    for (const member of this.members) member.send(payload, frames, maxBufferedBytes);
  }

  /** The upstream operation ended (or failed): every member's operation ends the same way. */
  private end(failure: unknown): void {
    this.joinable = false;
    this.onClosed(this);
    if (failure !== undefined && !this.closed) this.options.log.warn({ err: failure }, 'shared subscription stream failed');
    for (const member of [...this.members]) member.stream.end(failure);
    this.close();
  }
}

/** The shared streams of one gateway, by sharing key. */
export class SharedStreams {
  private readonly streams = new Map<string, SharedStream>();

  constructor(private readonly options: SharedStreamOptions) {}

  /** Streams running now (leak checks read it). */
  get active(): number {
    return this.streams.size;
  }

  /** Adds one client operation to the stream of `key`, starting that stream (with `sub.authorization`) when there is none. */
  join(
    key: string, sub: PlannedSubscription, credentialed: boolean, socket: WebSocket, id: string, onLeave: () => void,
  ): AsyncIterableIterator<ExecutionResult> {
    let stream = this.streams.get(key);
    if (!stream?.joinable) {
      const created: SharedStream = new SharedStream(sub, credentialed, this.options, (s) => {
        if (this.streams.get(key) === s) this.streams.delete(key);
      });
      this.streams.set(key, created);
      stream = created;
    }
    return stream.join(socket, id, sub.authorization, onLeave);
  }
}
