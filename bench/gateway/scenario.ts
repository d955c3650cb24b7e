/**
 * `npm run bench -- gateway`: the graphql-gateways-benchmark's federation
 * scenario (four subgraphs, its TestQuery, 50 connections) against the stock
 * @apollo/gateway and the shop's gateway, back to back in one run, each in
 * a process of its own under NODE_ENV=production. See bench/README.md.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { composeBenchSupergraph } from './compose';
import { BenchProcess, launch, runToEnd, waitFor } from './processes';
import { freePortBlock } from '../checkout/env';
import { TEST_REQUEST_BODY } from './query';
import { canonicalJson } from './canonical';
import { formatMs, summarize, Summary } from '../stats';

interface Options { workers: number; connections: number; warmup: number; seconds: number; rounds: number; dedup: boolean; cpuProf?: string; only?: string }

function parseOptions(args: string[]): Options {
  const flag = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  return {
    workers: Number(flag('workers', process.env.BENCH_GATEWAY_WORKERS ?? '2')),
    connections: Number(flag('connections', process.env.BENCH_CONNECTIONS ?? '50')),
    warmup: Number(flag('warmup', process.env.BENCH_WARMUP_SECONDS ?? '5')),
    seconds: Number(flag('seconds', process.env.BENCH_SECONDS ?? '20')),
    rounds: Number(flag('rounds', process.env.BENCH_ROUNDS ?? '2')),
    dedup: !args.includes('--no-dedup'),
    cpuProf: args.includes('--cpu-prof') ? flag('cpu-prof', '') || undefined : undefined,
    only: args.includes('--only') ? flag('only', '') : undefined,
  };
}

interface Variant { name: string; script: string; env: NodeJS.ProcessEnv }
interface Measured { name: string; rps: number; errors: number; bytes: number; latency: Summary; canonical: string; cpuMsPerAnswer: number }

/** CPU time (user + system, ms) of every process of a process group so far: the gateway and its workers. */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try { stat = readFileSync(`/proc/${entry}/stat`, 'utf8'); } catch { continue; }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state, ppid, pgrp, ..., utime (14th field of the line), stime (15th).
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

async function post(url: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: TEST_REQUEST_BODY });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

async function measure(variant: Variant, supergraphFile: string, port: number, options: Options): Promise<Measured> {
  const profile = options.cpuProf ? { BENCH_CPU_PROFILE: path.join(options.cpuProf, `${variant.name.replace(/\W+/g, '-')}-${Date.now()}.cpuprofile`) } : {};
  const gateway: BenchProcess = launch(variant.name, variant.script, [supergraphFile, String(port)], { ...variant.env, ...profile });
  try {
    await waitFor(gateway, 'gateway ready');
    const url = `http://127.0.0.1:${port}/graphql`;
    const canonical = canonicalJson(JSON.parse(await post(url)));
    // The gateway's CPU (all its processes) over the window, per answer of the window.
    let cpuAtStart = 0;
    let cpuMs = NaN;
    const out = await runToEnd('load', 'load.ts', [url, String(options.connections), String(options.warmup), String(options.seconds)], { ...process.env, NODE_ENV: 'production' },
      (text) => {
        if (text.includes('window starts')) cpuAtStart = groupCpuMs(gateway.child.pid!);
        if (text.includes('window ends')) cpuMs = groupCpuMs(gateway.child.pid!) - cpuAtStart;
      });
    const result = JSON.parse(out.trim().split('\n').pop()!);
    return {
      name: variant.name, rps: result.requests / result.seconds, errors: result.errors, bytes: result.bytes,
      latency: summarize(result.latencies), canonical, cpuMsPerAnswer: result.requests > 0 ? cpuMs / result.requests : NaN,
    };
  } finally {
    await gateway.stop();
  }
}

function line(m: Measured, reference?: Measured): string {
  const ratio = reference ? `  ${(m.rps / reference.rps).toFixed(2)}× rps, p95 ${(m.latency.p95 / reference.latency.p95).toFixed(2)}× of stock` : '';
  return `  ${m.name.padEnd(34)} ${m.rps.toFixed(1).padStart(8)} req/s  p50 ${formatMs(m.latency.p50).padStart(7)}  p95 ${formatMs(m.latency.p95).padStart(7)}  p99 ${formatMs(m.latency.p99).padStart(7)}  CPU ${m.cpuMsPerAnswer.toFixed(1).padStart(5)} ms/answer  errors ${m.errors}${ratio}`;
}

export async function runGatewayScenario(args: string[]): Promise<void> {
  const options = parseOptions(args);
  if (options.cpuProf) mkdirSync(options.cpuProf, { recursive: true });
  const base = await freePortBlock(3);
  const supergraphFile = `${os.tmpdir()}/bench-gateway-${randomBytes(3).toString('hex')}.graphql`;
  composeBenchSupergraph(`http://127.0.0.1:${base}`, supergraphFile);
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', SUBGRAPH_SHARED_SECRET: randomBytes(32).toString('hex') };
  const workers = String(options.workers);
  const variants: Variant[] = [
    { name: 'stock @apollo/gateway', script: 'stock-gateway.ts', env },
    { name: 'shop gateway, 1 process, Apollo exec', script: 'shop-gateway.ts', env: { ...env, GATEWAY_WORKERS: '1', GATEWAY_EXECUTOR: 'apollo' } },
    { name: 'shop gateway, 1 process', script: 'shop-gateway.ts', env: { ...env, GATEWAY_WORKERS: '1' } },
  ];
  if (options.workers > 1) variants.push({ name: `shop gateway, ${workers} workers`, script: 'shop-gateway.ts', env: { ...env, GATEWAY_WORKERS: workers } });
  if (options.dedup) {
    variants.push({ name: `shop gateway, ${workers} worker(s), dedup ON`, script: 'shop-gateway.ts', env: { ...env, GATEWAY_WORKERS: workers, GATEWAY_INBOUND_DEDUP: 'true' } });
  }
  const chosen = options.only ? variants.filter((v) => v.name.includes(options.only!)) : variants;

  const subgraphs = launch('subgraphs', 'subgraph-server.ts', [String(base)], env);
  const stopAll = () => { void subgraphs.stop(); };
  process.once('SIGINT', stopAll);
  try {
    await waitFor(subgraphs, 'subgraphs ready');
    console.log(`gateway scenario: ${options.connections} connections, warm-up ${options.warmup} s, window ${options.seconds} s, ${options.rounds} round(s)`);
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (let round = 1; round <= options.rounds; round++) {
      const results: Measured[] = [];
      for (const variant of chosen) results.push(await measure(variant, supergraphFile, base + 1, options));
      const stock = results.find((r) => r.name.startsWith('stock'));
      console.log(`round ${round} (load average ${os.loadavg()[0]!.toFixed(2)}):`);
      for (const r of results) console.log(line(r, r === stock ? undefined : stock));
      const reference = results[0]!;
      for (const r of results.slice(1)) {
        console.log(`  response of "${r.name}" ${r.canonical === reference.canonical ? 'equals' : 'DIFFERS FROM'} "${reference.name}"'s (${reference.bytes} bytes)`);
      }
    }
  } finally {
    process.off('SIGINT', stopAll);
    await subgraphs.stop();
  }
}
