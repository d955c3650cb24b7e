import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads the V8 CPU profiles the shop's processes wrote (`--cpu-prof`) and
 * says where their time went during the load window only: start-up and
 * setup (module loading, migrations, argon2) would otherwise dominate.
 * V8 stamps samples with the monotonic clock in microseconds, the clock
 * `process.hrtime` reads, so the window can be cut out of another process's
 * profile.
 */
interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

/** Now on the clock V8 profiles use (µs). */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const mod = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (mod) return mod[1]!;
  // Which part of Node: undici (fetch), async_hooks (async context tracking), streams... say more than "node core".
  if (url.startsWith('node:')) return `node ${url.split('/').pop()}`;
  const own = url.match(/\/work\/[^/]+\/((?:subgraphs\/[^/]+|platform|gateway))\//) ?? url.match(/((?:subgraphs\/[^/]+|platform|gateway))\/src\//);
  return own ? `shop ${own[1]}` : url.replace(/^file:\/\//, '');
}

function top(map: Map<string, number>, total: number, n: number): string[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
}

function summarize(file: string, fromUs: number, toUs: number, lines: number): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let t = profile.startTime;
  let busy = 0;
  let inWindow = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    if (t < fromUs || t > toUs) return;
    inWindow += delta;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return;
    busy += delta;
    const pkg = packageOf(frame.url, frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
    const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const fn = `${frame.functionName || '(anonymous)'} ${where} [${pkg}]`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
  });
  if (inWindow === 0) return ['    (no samples in the load window)'];
  return [
    // Samples are taken on wall-clock time: a thread waiting for a core still counts as busy.
    `    not idle ${((100 * busy) / inWindow).toFixed(0)}% of the window (wall clock, includes waiting for a core); self time by package:`,
    ...top(byPackage, busy, lines).map((l) => `      ${l}`),
    '    hottest functions (self time):',
    ...top(byFunction, busy, lines).map((l) => `      ${l}`),
  ];
}

/** The main thread's profile in a process's folder (V8 names them CPU.<date>.<time>.<pid>.<thread>.<seq>). */
function mainThreadProfile(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  return files.find((f) => f.split('.')[4] === '0') ?? files[0];
}

/** Prints, for each profiled process, where its main thread spent the load window. */
export function printProfiles(dir: string, fromUs: number, toUs: number, lines = 8): void {
  console.log(`\nCPU profiles of the load window (${dir}; open a .cpuprofile in Chrome DevTools for the call tree)`);
  for (const name of readdirSync(dir).sort()) {
    const file = mainThreadProfile(path.join(dir, name));
    console.log(`  ${name}${file ? '' : ': no profile (a process that was killed writes none)'}`);
    if (!file) continue;
    try {
      for (const line of summarize(path.join(dir, name, file), fromUs, toUs, lines)) console.log(line);
    } catch (e) {
      console.log(`    unreadable: ${(e as Error).message}`);
    }
  }
}
