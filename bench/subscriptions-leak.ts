/**
 * Subscribe/unsubscribe cycles through a real gateway and subgraphs, then
 * what is still held: running operations (gateway, upstream, subgraph, NATS),
 * heap and event-loop resources. Each cycle subscribes, receives one event
 * (with an entity fetch to a second subgraph) and unsubscribes, 50 at a time.
 *
 * Several rounds of the same work: a leak shows as heap and resources
 * growing round after round; a steady state levels off after the first.
 *
 *   npx tsx --expose-gc bench/subscriptions-leak.ts [cycles=1000] [rounds=3]
 */
import { activeLiveEvents } from '@shop/platform';
import { startFixtureStack } from '../tests/fixtures/subscriptions/stack';
import { eventually, subscribe, wsClient } from '../tests/support/ws-client';

const cycles = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 3);
const BATCH = 50;
const QUERY = `subscription { itemChanged(ids: ["bench"]) { id available name price { amount } } }`;

function snapshot() {
  (globalThis as { gc?: () => void }).gc?.();
  const resources: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
  return { heapMB: +(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1), resources };
}

async function main(): Promise<void> {
  const stack = await startFixtureStack();
  const client = wsClient(stack.gateways[0].url);
  const counters = () => ({ ...stack.gateways[0].subscriptions.stats(), subgraph: stack.source.subscriptions!.stats(), liveEvents: activeLiveEvents() });
  let available = 0;

  const round = async (count: number) => {
    for (let done = 0; done < count; done += BATCH) {
      const n = Math.min(BATCH, count - done);
      const subs = Array.from({ length: n }, () => subscribe(client, QUERY));
      await stack.whenSubscribed(n);
      await stack.publishStock('bench', ++available);
      for (const sub of subs) {
        const result = await sub.next();
        if ((result.data?.itemChanged as { available?: number })?.available !== available) throw new Error(`bad event: ${JSON.stringify(result)}`);
      }
      await Promise.all(subs.map((s) => s.stop()));
      await stack.whenSubscribed(0);
    }
  };

  await round(100); // warm-up: connections, plan cache, JIT
  const snapshots = [{ round: 0, ms: 0, ...snapshot() }];
  for (let r = 1; r <= rounds; r++) {
    const started = Date.now();
    await round(cycles);
    await eventually(() => counters().operations === 0 && counters().upstreamOperations === 0, 'all released');
    snapshots.push({ round: r, ms: Date.now() - started, ...snapshot() });
  }
  console.log(`gc exposed: ${typeof (globalThis as { gc?: unknown }).gc === 'function'}; ${cycles} cycles per round`);
  console.log('counters after:', JSON.stringify(counters()));
  for (const s of snapshots) console.log(`round ${s.round}: ${s.ms} ms, heap ${s.heapMB} MB, resources ${JSON.stringify(s.resources)}`);
  await client.dispose();
  await stack.stop();
}

main().catch((e) => { console.error(e); process.exit(1); });
