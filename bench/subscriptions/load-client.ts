/**
 * The subscribers of the subscriptions benchmark, in a process of their own
 * (started by scenario.ts, driven over IPC): N graphql-ws connections, each
 * its own socket with one subscription, spoken over raw `ws` to keep the
 * client light. Every `next` message is stamped on arrival (wall clock, the
 * same as the driver's) and kept as it came; it is parsed only when the
 * driver collects, so that reading one message never delays the stamp of
 * the next one queued behind it.
 */
import WebSocket from 'ws';

export type ClientCommand =
  | { type: 'open'; url: string; count: number; token?: string; query: string; variables?: Record<string, unknown>; key: 'stock' | 'order' }
  | { type: 'collect' }
  | { type: 'close' };

export interface Arrival { key: string; at: number; eventAt?: number }
export type ClientReply =
  | { type: 'opened'; acknowledged: number; failed: number }
  | { type: 'closed' }
  | { type: 'arrivals'; perSocket: Arrival[][]; closes: Record<string, number>; errors: number };

const send = (reply: ClientReply) => process.send!(reply);
/** A `next` message as it arrived, with its arrival stamp. */
interface Received { at: number; data: Buffer }

const NEXT = Buffer.from('"type":"next"');

let sockets: WebSocket[] = [];
let received: Received[][] = [];
/** Whether each socket's connection was acknowledged: one refused or timed out at the handshake is counted in `opened`, not waited for. */
let acknowledgedSockets: boolean[] = [];
let closes: Record<string, number> = {};
let errors = 0;

/** What one event is: for stock, the units available (unique per change); for orders, order id and status with the time it was entered. */
function arrivalOf(kind: 'stock' | 'order', payload: any, at: number): Arrival | null {
  if (payload.errors) errors += 1;
  if (kind === 'stock') {
    const available = payload.data?.stockChanged?.stock?.available;
    return available === undefined ? null : { key: String(available), at };
  }
  const order = payload.data?.ordersUpdated;
  if (!order) return null;
  const entered = [...(order.statusHistory ?? [])].reverse().find((h: any) => h.status === order.status);
  return { key: `${order.id}:${order.status}`, at, eventAt: entered ? Date.parse(entered.at) : undefined };
}

let kind: 'stock' | 'order' = 'stock';

/** The arrivals of every acknowledged socket, parsed now that the events are in. */
function arrivals(): Arrival[][] {
  return received.filter((_, i) => acknowledgedSockets[i]).map((mine) => (mine ?? []).flatMap(({ at, data }) => {
    const arrival = arrivalOf(kind, JSON.parse(data.toString()).payload, at);
    return arrival ? [arrival] : [];
  }));
}

function open(command: Extract<ClientCommand, { type: 'open' }>): Promise<{ acknowledged: number; failed: number }> {
  const wsUrl = command.url.replace(/^http/, 'ws');
  let acknowledged = 0;
  let failed = 0;
  const one = (i: number) => new Promise<void>((resolve) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const mine: Received[] = [];
    received[i] = mine;
    sockets[i] = socket;
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      acknowledgedSockets[i] = ok;
      if (ok) acknowledged += 1; else failed += 1;
      resolve();
    };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: command.token ? { authorization: `Bearer ${command.token}` } : {} })));
    socket.on('message', (data: Buffer) => {
      const at = Date.now();
      if (data.indexOf(NEXT) !== -1) {
        mine.push({ at, data });
        return;
      }
      const message = JSON.parse(data.toString());
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: command.query, variables: command.variables ?? {} } }));
        done(true);
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      } else if (message.type === 'error') {
        errors += 1;
      }
    });
    socket.on('close', (code) => { closes[code] = (closes[code] ?? 0) + 1; done(false); });
    socket.on('error', () => done(false));
  });
  // A few hundred handshakes at a time: a burst of thousands would overflow the listen backlog.
  return (async () => {
    const batch = 250;
    for (let start = 0; start < command.count; start += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, command.count - start) }, (_, j) => one(start + j)));
    }
    return { acknowledged, failed };
  })();
}

process.on('message', (command: ClientCommand) => {
  if (command.type === 'open') {
    sockets = []; received = []; acknowledgedSockets = []; closes = {}; errors = 0; kind = command.key;
    void open(command).then((r) => send({ type: 'opened', ...r }));
  } else if (command.type === 'collect') {
    const perSocket = arrivals();
    send({ type: 'arrivals', perSocket, closes, errors });
  } else if (command.type === 'close') {
    for (const s of sockets) s.terminate();
    sockets = [];
    send({ type: 'closed' });
  }
});
process.on('disconnect', () => process.exit(0));
