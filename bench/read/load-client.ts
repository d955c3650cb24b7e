/**
 * A closed-loop HTTP load generator, run in a process of its own so that it
 * does not share an event loop with what it measures: N connections (one
 * keep-alive socket each), every one sending the next request as soon as
 * the previous answer arrived. A warm-up, then a measured window; prints
 * one JSON line with the figures of the window.
 *
 * `tsx bench/read/load-client.ts <url> <connections> <warmupSeconds> <seconds> <bodyFile> [authorization]`
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [url, connectionsArg, warmupArg, secondsArg, bodyFile, authorization] = process.argv.slice(2);
const target = new URL(url!);
const connections = Number(connectionsArg);
const body = readFileSync(bodyFile!);
const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json', 'content-length': body.length };
if (authorization) headers.authorization = authorization;

interface Window { latencies: number[]; ok: number; errors: Map<string, number>; bytes: number }
const newWindow = (): Window => ({ latencies: [], ok: 0, errors: new Map(), bytes: 0 });
let current: Window | null = null;
let stopping = false;

function once(agent: http.Agent): Promise<void> {
  return new Promise((resolve) => {
    const started = performance.now();
    const into = current;
    const fail = (reason: string) => {
      if (into) into.errors.set(reason, (into.errors.get(reason) ?? 0) + 1);
      resolve();
    };
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => fail(`response: ${e.message}`));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (!into) { resolve(); return; }
        // A GraphQL error answers 200 too: only an answer with data and no errors counts as served.
        if (res.statusCode !== 200) fail(`HTTP ${res.statusCode}`);
        else if (text.includes('"errors"')) fail(`GraphQL error: ${text.slice(0, 160)}`);
        else {
          into.latencies.push(performance.now() - started);
          into.ok += 1;
          into.bytes += text.length;
          resolve();
        }
      });
    });
    req.on('error', (e) => fail(`request: ${e.message}`));
    req.end(body);
  });
}

async function connection(): Promise<void> {
  // One socket per simulated client: 64 connections means 64 sockets, as a load tool would open.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  while (!stopping) await once(agent);
  agent.destroy();
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

async function main(): Promise<void> {
  const loops = Array.from({ length: connections }, connection);
  await new Promise((r) => setTimeout(r, Number(warmupArg) * 1000));
  const measured = newWindow();
  current = measured;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  process.stderr.write('window\n');
  await new Promise((r) => setTimeout(r, Number(secondsArg) * 1000));
  current = null;
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  stopping = true;
  await Promise.all(loops);
  const sorted = measured.latencies.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({
    seconds: elapsed, ok: measured.ok, rps: measured.ok / elapsed,
    p50: percentile(sorted, 50), p975: percentile(sorted, 97.5), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN,
    errors: Object.fromEntries(measured.errors), bytesPerAnswer: measured.ok ? measured.bytes / measured.ok : 0,
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
  })}\n`);
}

main().catch((e) => { console.error(e); process.exit(1); });
