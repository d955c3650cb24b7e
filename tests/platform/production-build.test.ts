import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as platform from '@shop/platform';
import { subgraphDefinitions } from '../../subgraphs';

const ROOT = path.resolve(__dirname, '../..');

/** What a process started with the image's flags loads, as JSON: where each package resolved to and what it holds. */
const PROBE = (names: string[]) => `
  const platform = require('@shop/platform');
  const out = { platform: { file: require.resolve('@shop/platform'), exports: Object.keys(platform).sort() }, subgraphs: {} };
  for (const name of ${JSON.stringify(names)}) {
    const def = require('@shop/' + name)[name];
    out.subgraphs[name] = { file: require.resolve('@shop/' + name), name: def.name, entities: def.entities.length, migrations: def.migrations.length };
  }
  out.gateway = { file: require.resolve('@shop/gateway'), startGateway: typeof require('@shop/gateway').startGateway };
  out.typescriptLoaded = Object.keys(require.cache).some((f) => f.endsWith('.ts'));
  console.log(JSON.stringify(out));
  process.exit(0);`;

describe('the production build (npm run build)', () => {
  it('compiles every package to a dist/ that node runs with --conditions=shop-dist, holding what the sources hold', () => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const names = Object.keys(subgraphDefinitions);
    const run = spawnSync(process.execPath, ['--conditions=shop-dist', '--enable-source-maps', '-e', PROBE(names)], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    expect(out.platform).toEqual({ file: path.join(ROOT, 'platform/dist/index.js'), exports: Object.keys(platform).sort() });
    for (const [name, def] of Object.entries(subgraphDefinitions)) {
      expect(out.subgraphs[name]).toEqual({
        file: path.join(ROOT, 'subgraphs', name, 'dist/index.js'), name: def!.name, entities: def!.entities.length, migrations: def!.migrations.length,
      });
    }
    expect(out.gateway).toEqual({ file: path.join(ROOT, 'gateway/dist/index.js'), startGateway: 'function' });
    expect(out.typescriptLoaded).toBe(false);
  });
});
