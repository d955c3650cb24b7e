/**
 * `npm run bench -- [scenario] [options]`: runs one named benchmark and
 * prints its figures. Figures only, no pass/fail: the exit code is non-zero
 * only when the scenario could not run. See bench/README.md.
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { runCheckout } from './checkout/scenario';
import { runSubscriptions } from './subscriptions/scenario';
import { runRead } from './read/scenario';
import { runGatewayScenario } from './gateway/scenario';
import { runReplicas } from './replicas/scenario';

const ROOT = path.resolve(__dirname, '..');

/** subscriptions-leak runs in a process of its own: it needs --expose-gc, and it reads its arguments from argv. */
function runSubscriptionsLeak(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['--expose-gc', path.join(ROOT, 'bench', 'subscriptions-leak.ts'), ...args], {
      cwd: ROOT, stdio: 'inherit',
    });
    // Ctrl-C reaches the child through the terminal; this process only waits for it to finish cleaning up.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      if (code === 0) resolve();
      else reject(new Error(`subscriptions-leak exited with ${signal ?? `code ${code}`}`));
    });
  });
}

const SCENARIOS: Record<string, { about: string; run(args: string[]): Promise<void> }> = {
  checkout: {
    about: 'customers shopping in a loop against the shop run as separate processes: [--customers 50] [--seconds 60] [--products 20] [--settle 60] [--idle 10] [--cpu-prof DIR]',
    run: runCheckout,
  },
  subscriptions: {
    about: 'live fan-out: N stockChanged subscribers and PARTNER ordersUpdated connections, shared streams then the per-subscriber reference: [--subscribers 1000] [--reference-subscribers 2000] [--events 10] [--gap 1000] [--partners 1000] [--orders 3] [--shared | --per-subscriber]',
    run: runSubscriptions,
  },
  read: {
    about: 'the catalog listing through the gateway against a bare node:http + pg floor, then with the response cache: [--connections 64] [--seconds 20] [--warmup 5] [--products 100] [--cpu-prof DIR]',
    run: runRead,
  },
  gateway: {
    about: 'graphql-gateways-benchmark federation scenario, stock @apollo/gateway vs ours: [--connections 50] [--warmup 5] [--seconds 20] [--rounds 2] [--workers 2] [--no-dedup] [--only NAME] [--cpu-prof DIR]',
    run: runGatewayScenario,
  },
  replicas: {
    about: 'checkout with N processes of one subgraph sharing its HTTP requests, events and outbox, one killed halfway; then the databases are checked: [--subgraph orders] [--replicas 2] [--customers 20] [--seconds 30] [--products 20] [--no-crash]',
    run: runReplicas,
  },
  'subscriptions-leak': {
    about: 'subscribe/unsubscribe cycles through the gateway, then what is still held: [cycles=1000] [rounds=3]',
    run: runSubscriptionsLeak,
  },
};

function usage(): string {
  return ['usage: npm run bench -- [scenario] [options]   (default scenario: checkout)', ...Object.entries(SCENARIOS)
    .map(([name, s]) => `  ${name.padEnd(20)} ${s.about}`)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--help' || args[0] === '-h') { console.log(usage()); return; }
  // A leading option (`npm run bench -- --customers 100`) means the default scenario.
  const name = args[0] && !args[0].startsWith('-') ? args.shift()! : 'checkout';
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario "${name}"\n${usage()}`);
  await scenario.run(args);
}

main().then(() => process.exit(0), (e: Error) => {
  console.error(`bench: ${e.message}`);
  process.exit(1);
});
