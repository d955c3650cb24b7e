import {
  InMemorySpanExporter, ReadableSpan, SERVICE_ATTRIBUTE, SimpleSpanProcessor, Tracing, loadConfig, startTracing,
} from '@shop/platform';

/** Tracing of the test process into memory: what the spans of a stack started afterwards record. */
export interface TestTracing {
  spans(): ReadableSpan[];
  /** The spans one service recorded. */
  of(service: string): ReadableSpan[];
  stop(): Promise<void>;
}

export function startTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const tracing: Tracing = startTracing(loadConfig({ NODE_ENV: 'test' }), 'shop-tests', [new SimpleSpanProcessor(exporter)])!;
  return {
    spans: () => exporter.getFinishedSpans(),
    of: (service) => exporter.getFinishedSpans().filter((s) => s.attributes[SERVICE_ATTRIBUTE] === service),
    stop: () => tracing.stop(),
  };
}
