import {
  Context, ROOT_CONTEXT, Span, SpanKind, SpanOptions, SpanStatusCode, context, propagation, trace,
} from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** For span processors of one's own (tests export to memory), from the SDK version the platform runs. */
export { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
export type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PlatformConfig } from '../config';

/** The attribute naming the shop's service on every span (several services may share one process in development). */
export const SERVICE_ATTRIBUTE = 'shop.service';

export interface Tracing { stop(): Promise<void> }

let running: NodeSDK | null = null;

/**
 * Starts OpenTelemetry tracing for this process with W3C trace context, when
 * configured (`TRACING=otlp` or `OTEL_EXPORTER_OTLP_ENDPOINT`), or with the
 * span processors given (tests). Otherwise nothing starts: the API stays a
 * no-op, spans cost next to nothing and no trace context is propagated.
 */
export function startTracing(config: PlatformConfig, serviceName: string, spanProcessors?: SpanProcessor[]): Tracing | null {
  if (running) return { stop: stopTracing };
  if (!spanProcessors && config.tracing.exporter !== 'otlp') return null;
  const processors = spanProcessors ?? [];
  const sdk = new NodeSDK({
    serviceName,
    instrumentations: [],
    ...(spanProcessors
      ? { spanProcessors: processors as any }
      : { traceExporter: new OTLPTraceExporter(config.tracing.endpoint ? { url: `${config.tracing.endpoint.replace(/\/$/, '')}/v1/traces` } : {}) }),
  });
  sdk.start();
  running = sdk;
  return { stop: stopTracing };
}

async function stopTracing(): Promise<void> {
  const sdk = running;
  running = null;
  await sdk?.shutdown().catch(() => undefined);
  // Back to the no-op API, so a later start (tests) registers afresh.
  trace.disable();
  context.disable();
  propagation.disable();
}

/** Adds the current trace context (`traceparent`, `tracestate`) to outgoing headers. */
export function injectTraceContext(headers: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  propagation.inject(ctx, headers);
  return headers;
}

/** The trace context a caller sent (HTTP headers, a NATS message's headers, a subscription's extensions). */
export function extractTraceContext(carrier: Record<string, unknown>): Context {
  return propagation.extract(ROOT_CONTEXT, carrier, {
    keys: (c) => Object.keys(c),
    get: (c, key) => {
      const value = c[key];
      return typeof value === 'string' || Array.isArray(value) ? value as string | string[] : undefined;
    },
  });
}

/** The W3C `traceparent` of the current span, if tracing runs and a span is active. */
export function currentTraceparent(): string | null {
  return injectTraceContext({}).traceparent ?? null;
}

/**
 * Runs `fn` in a new span of `service` (a child of `parent`, else of the
 * current span), ending it when `fn` settles and marking it failed when `fn` throws.
 */
export async function inSpan<T>(
  service: string, name: string, options: SpanOptions & { parent?: Context }, fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = trace.getTracer(service).startSpan(name, {
    kind: options.kind ?? SpanKind.INTERNAL, ...options, attributes: { [SERVICE_ATTRIBUTE]: service, ...options.attributes },
  }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (e) {
    span.recordException(e as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    throw e;
  } finally {
    span.end();
  }
}
