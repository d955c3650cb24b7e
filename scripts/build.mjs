// Compiles the shop's TypeScript for production: each package's `src/` to a
// `dist/` beside it (CommonJS, source maps), which `node
// --conditions=shop-dist` runs without a TypeScript loader (see the
// `exports` of each package.json and docker/entrypoint.sh). Files are
// transformed one by one, as tsx does at run time; type checking stays with
// `npm run typecheck`. Tests and `npm start` run the sources themselves.
import { readdirSync, readFileSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every package whose code production runs: the platform, the gateway, each subgraph. */
function packages() {
  const subgraphs = readdirSync(path.join(root, 'subgraphs'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(root, 'subgraphs', e.name, 'src')))
    .map((e) => path.join('subgraphs', e.name));
  return ['platform', 'gateway', ...subgraphs];
}

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(file);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts')) yield file;
  }
}

export function build() {
  let files = 0;
  for (const pkg of packages()) {
    const src = path.join(root, pkg, 'src');
    const dist = path.join(root, pkg, 'dist');
    rmSync(dist, { recursive: true, force: true });
    for (const file of sources(src)) {
      const out = path.join(dist, path.relative(src, file)).replace(/\.ts$/, '.js');
      const { code, map } = transformSync(readFileSync(file, 'utf8'), {
        loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'external', sourcefile: path.relative(path.dirname(out), file),
      });
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, `${code}//# sourceMappingURL=${path.basename(out)}.map\n`);
      writeFileSync(`${out}.map`, map);
      files += 1;
    }
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const files = build();
  console.log(`build: ${files} files compiled to dist/ in ${Date.now() - started} ms`);
}
