/**
 * Writes the per-service manifests (and everything else that lists the
 * subgraphs) from the folders under subgraphs/: `npx tsx k8s/generate.ts`.
 * `--check` writes nothing and fails when a committed file is stale.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './generator/services';
import { renderFiles } from './generator/render';

/** Paths whose committed content differs from what the generator renders. */
export function staleFiles(root = ROOT): string[] {
  return Object.entries(renderFiles(root))
    .filter(([path, content]) => !existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== content)
    .map(([path]) => path);
}

function main(): void {
  if (process.argv.includes('--check')) {
    const stale = staleFiles();
    if (stale.length) {
      console.error(`stale generated files (run npx tsx k8s/generate.ts):\n  ${stale.join('\n  ')}`);
      process.exit(1);
    }
    return;
  }
  for (const [path, content] of Object.entries(renderFiles())) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), content);
  }
}

if (require.main === module) main();
