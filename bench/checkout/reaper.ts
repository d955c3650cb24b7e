/**
 * Cleans up after a checkout run whose benchmark process died before it
 * could. The benchmark starts it detached, with the run's environment, and
 * writes the process group of each shop process on its stdin, then `done`
 * once it has cleaned up itself. Stdin closing without `done` means the
 * benchmark is gone: SIGKILLed, crashed, or, the common case, killed by
 * tsx's CLI when Ctrl-C reaches it twice (from the terminal and from npm)
 * and the relayed signal is not acknowledged within its 30 ms. The shop
 * would otherwise keep running with nobody to stop it.
 */
import { connectNats, databaseName, deleteStream, dropDatabase, loadConfig } from '@shop/platform';
import { subgraphNames } from '../../subgraphs';

const groups: number[] = [];
let done = false;
let pending = '';

const alive = (group: number) => { try { process.kill(-group, 0); return true; } catch { return false; } };
const signal = (group: number, sig: NodeJS.Signals) => { try { process.kill(-group, sig); } catch { /* gone */ } };

async function reap(): Promise<void> {
  const config = loadConfig();
  groups.forEach((g) => signal(g, 'SIGTERM'));
  const until = Date.now() + 10_000;
  while (groups.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  groups.forEach((g) => signal(g, 'SIGKILL'));
  for (const name of subgraphNames) await dropDatabase(config, databaseName(config, name)).catch(() => undefined);
  const nc = await connectNats(config, 'bench-reaper');
  await deleteStream(nc, config.eventPrefix);
  await nc.drain();
  console.error(`bench: the benchmark ended before cleaning up; its shop is stopped and ${config.databasePrefix}* and the ${config.eventPrefix} stream are removed`);
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    if (line === 'done') done = true;
    else if (/^\d+$/.test(line)) groups.push(Number(line));
  }
});
process.stdin.on('end', () => {
  if (done) process.exit(0);
  reap().then(() => process.exit(0), (e: Error) => {
    console.error(`bench: cleaning up after the benchmark failed: ${e.message}`);
    process.exit(1);
  });
});
