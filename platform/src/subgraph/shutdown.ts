import { Logger } from '../logger';

/** A server that can be taken out of rotation before it stops. */
export interface Drainable {
  /** From now on /ready answers 503, so load balancers stop sending new requests; requests are still served. */
  markDraining(): void;
  /** Stops taking requests, finishes those in flight (and the events pulled), closes subscriptions, releases everything. */
  stop(): Promise<void>;
}

/**
 * What a process does on SIGTERM/SIGINT for a rolling update that loses
 * nothing: readiness goes false first, it keeps serving for `delayMs`
 * (time for every load balancer to see it), then stops in order and
 * exits. A second signal exits at once.
 */
export function stopOnSignals(running: Drainable, delayMs: number, log: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    running.markDraining();
    log.info({ signal, delayMs }, 'shutting down: readiness off, draining');
    setTimeout(() => {
      running.stop().then(() => {
        log.info('stopped');
        process.exit(0);
      }, (e: Error) => {
        log.error({ err: e }, 'stop failed');
        process.exit(1);
      });
    }, delayMs);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * While draining, every response closes its connection: keep-alive
 * clients open a new one for their next request, which a load balancer
 * sends to another replica, instead of reusing a socket this server is
 * about to close under them.
 */
export function closeConnectionsWhileDraining(draining: () => boolean) {
  return (_req: unknown, res: { setHeader(name: string, value: string): unknown }, next: () => void): void => {
    if (draining()) res.setHeader('Connection', 'close');
    next();
  };
}
