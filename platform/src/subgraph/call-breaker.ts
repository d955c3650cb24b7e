import {
  BrokenCircuitError, CircuitBreakerPolicy, ConsecutiveBreaker, IPolicy, TaskCancelledError, TimeoutStrategy,
  circuitBreaker, handleAll, timeout, wrap,
} from 'cockatiel';
import { PlatformConfig } from '../config';

type CallSettings = PlatformConfig['subgraphCalls'];

interface TargetPolicy { policy: IPolicy<{ signal: AbortSignal }>; breaker: CircuitBreakerPolicy }

/** One breaker per target URL, for the life of the process: every request of this process to that subgraph shares it. */
const targets = new Map<string, TargetPolicy>();

/**
 * The policy of calls to one subgraph: a time limit per call (the fetch is
 * aborted), inside a circuit breaker that opens after
 * `breakerFailures` consecutive failures (refusing calls at once) and lets
 * one trial call through after `breakerHalfOpenMs`; the trial's success
 * closes it again. Failures are whatever the call throws: timeouts,
 * connection errors, 5xx (a client error of the called subgraph is an
 * answer, returned, and does not count).
 */
export function breakerFor(url: string, settings: CallSettings): IPolicy<{ signal: AbortSignal }> {
  const key = `${url}|${settings.timeoutMs}|${settings.breakerFailures}|${settings.breakerHalfOpenMs}`;
  let target = targets.get(key);
  if (!target) {
    const breaker = circuitBreaker(handleAll, {
      halfOpenAfter: settings.breakerHalfOpenMs,
      breaker: new ConsecutiveBreaker(settings.breakerFailures),
    });
    const policy = wrap(breaker, timeout(settings.timeoutMs, TimeoutStrategy.Aggressive));
    target = { policy, breaker };
    targets.set(key, target);
  }
  return target.policy;
}

/** The breaker's own refusals: the circuit is open, or the call ran out of time. */
export function isBreakerRefusal(e: unknown): boolean {
  return e instanceof BrokenCircuitError || e instanceof TaskCancelledError;
}
