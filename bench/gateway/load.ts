/**
 * Closed-loop HTTP load: N connections (keep-alive), each sending the next
 * request as soon as its previous answer is read. A warm-up, then a measured
 * window; an answer counts when it arrives inside the window. Prints `window starts` and `window ends` when they do, then one
 * JSON line: requests, errors, latencies (ms).
 * `tsx bench/gateway/load.ts <url> <connections> <warmup s> <window s> [body file]`.
 * An answer counts as an error when its status is not 200 or its body holds
 * `"errors"` (as the benchmark's k6 script checks).
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { TEST_REQUEST_BODY } from './query';

const [url, connectionsArg, warmupArg, windowArg, bodyFile] = process.argv.slice(2);
const connections = Number(connectionsArg ?? 50);
const body = Buffer.from(bodyFile ? readFileSync(bodyFile, 'utf8') : TEST_REQUEST_BODY);
const target = new URL(url!);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });

function send(): Promise<{ ok: boolean; bytes: number }> {
  return new Promise((resolve) => {
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': body.length },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks);
        resolve({ ok: res.statusCode === 200 && !text.includes('"errors"'), bytes: text.length });
      });
      res.on('error', () => resolve({ ok: false, bytes: 0 }));
    });
    req.on('error', () => resolve({ ok: false, bytes: 0 }));
    req.end(body);
  });
}

async function main(): Promise<void> {
  const warmupEnds = Date.now() + Number(warmupArg ?? 5) * 1000;
  const windowEnds = warmupEnds + Number(windowArg ?? 20) * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  // Markers for the scenario, which reads the gateway's CPU time at both ends of the window.
  setTimeout(() => process.stdout.write('window starts\n'), warmupEnds - Date.now());
  setTimeout(() => process.stdout.write('window ends\n'), windowEnds - Date.now());
  const loop = async () => {
    for (;;) {
      if (Date.now() >= windowEnds) return;
      const started = performance.now();
      const res = await send();
      const now = Date.now();
      // Answers that arrive inside the window count, whenever they were asked.
      if (now < warmupEnds || now > windowEnds) continue;
      latencies.push(performance.now() - started);
      if (!res.ok) errors++;
      bytes = res.bytes || bytes;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ requests: latencies.length, errors, bytes, seconds: Number(windowArg ?? 20), latencies })}\n`);
}

main().catch((e) => { console.error(e); process.exit(1); });
