import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORTS } from '@shop/platform';
import { ROOT, compose, databaseOf, manifests, read, subgraphFolders, yamlFilesUnder } from '../support/deploy';
import { validateAll } from '../../k8s/validate';
import { staleFiles } from '../../k8s/generate';
import { checkManifest } from '../../k8s/validation/models';
import { checkKustomization } from '../../k8s/validation/kustomization';
import { crossCheck } from '../../k8s/validation/rendered';

const subgraphs = subgraphFolders();
const processes = ['gateway', ...subgraphs];

describe('docker compose', () => {
  const { services } = compose();

  it.each(processes)('runs %s from the one image with a healthcheck, after what it needs is healthy', (name) => {
    const s = services[name];
    expect(s).toBeDefined();
    expect(s.build).toBe('.');
    expect(s.environment.SERVICE).toBe(name);
    expect(s.healthcheck?.test).toEqual(['CMD', 'node', 'docker/healthcheck.mjs', '/health']);
    const deps = Object.entries(s.depends_on ?? {});
    expect(deps.length).toBeGreaterThan(0);
    for (const [, dep] of deps) expect((dep as any).condition).toBe('service_healthy');
    if (name === 'gateway') expect(Object.keys(s.depends_on).sort()).toEqual([...subgraphs].sort());
    else expect(Object.keys(s.depends_on)).toEqual(expect.arrayContaining(['postgres', 'nats']));
  });

  it('gives every process the address of every subgraph and the infrastructure', () => {
    const env = services.gateway.environment;
    for (const name of subgraphs) expect(env[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${DEFAULT_PORTS[name as keyof typeof DEFAULT_PORTS]}/graphql`);
    expect(env).toMatchObject({ PGHOST: 'postgres', NATS_URL: 'nats://nats:4222', SMTP_HOST: 'mailpit', SMTP_PORT: '1025' });
    expect(env.SUBGRAPH_SHARED_SECRET).toMatch(/^\$\{SUBGRAPH_SHARED_SECRET:-dev-only-/);
    expect(env).not.toHaveProperty('JWT_SECRET');
    // Signing keys reach accounts alone.
    for (const name of [...subgraphs, 'gateway'].filter((n) => n !== 'accounts')) expect(services[name].environment).not.toHaveProperty('JWT_PRIVATE_KEYS');
    expect(services.accounts.environment.JWT_PRIVATE_KEYS).toBe('${JWT_PRIVATE_KEYS:-}');
  });

  it('runs the infrastructure with healthchecks, JetStream on a volume, and a one-shot seed after the gateway', () => {
    for (const infra of ['postgres', 'nats', 'redis', 'mailpit']) expect(services[infra].healthcheck.test).toBeDefined();
    expect(services.postgres.image).toBe('postgres:15');
    expect(services.postgres.volumes).toContain('./docker/postgres/init:/docker-entrypoint-initdb.d:ro');
    expect(services.nats.command).toEqual(expect.arrayContaining(['-js', '-sd', '/data']));
    expect(services.nats.volumes).toContain('nats-data:/data');
    expect(services.seed.environment.SERVICE).toBe('seed');
    expect(services.seed.restart).toBe('no');
    expect(services.seed.depends_on.gateway.condition).toBe('service_healthy');
  });

  const composeBin = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
  (composeBin ? it : it.skip)('passes docker-compose config', () => {
    const run = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('Kubernetes manifests', () => {
  it.each(processes)('deploy %s with a Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget', (name) => {
    const kinds = manifests(`k8s/base/services/${name}.yaml`).filter((d) => d.metadata.name === name).map((d) => d.kind);
    expect(kinds.sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service']);
    expect(manifests('k8s/base/services/kustomization.yaml')[0].resources).toContain(`${name}.yaml`);
  });

  it('commits no Secret with values', () => {
    const secrets = yamlFilesUnder('k8s').flatMap(manifests).filter((d) => d.kind === 'Secret');
    for (const s of secrets) expect({ name: s.metadata.name, data: s.data ?? s.stringData }).toEqual({ name: s.metadata.name, data: undefined });
    for (const k of yamlFilesUnder('k8s').flatMap(manifests).filter((d) => d.kind === 'Kustomization')) {
      for (const g of k.secretGenerator ?? []) expect(g.literals).toBeUndefined();
    }
  });

  it('keeps the generated files in step with k8s/generate.ts', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('passes k8s/validate.ts (schemas, kustomization references, rendered overlays)', () => {
    const result = validateAll();
    expect(result.errors).toEqual([]);
    if (!result.kubectlMissing) expect(result.renderedOverlays.sort()).toEqual(['k8s/overlays/dev', 'k8s/overlays/prod']);
  });
});

describe('databases', () => {
  it.each(subgraphs)('creates the database of %s in compose, the dev StatefulSet and the CloudNativePG cluster', (name) => {
    const statement = `CREATE DATABASE ${databaseOf(name)};`;
    expect(read('docker/postgres/init/01-databases.sql')).toContain(statement);
    expect(read('k8s/overlays/dev/postgres-init.sql')).toContain(statement);
    const databases = manifests('k8s/overlays/prod/databases.yaml').filter((d) => d.kind === 'Database');
    expect(databases.find((d) => d.spec.name === databaseOf(name))).toMatchObject({ spec: { owner: 'shop', cluster: { name: 'shop-postgres' } } });
  });

  it('mounts the init script into the dev StatefulSet and bootstraps the prod cluster with the subgraphs\' owner', () => {
    const dev = manifests('k8s/overlays/dev/kustomization.yaml')[0];
    expect(dev.configMapGenerator).toContainEqual({ name: 'shop-postgres-init', files: ['01-databases.sql=postgres-init.sql'] });
    const sts = manifests('k8s/overlays/dev/postgres.yaml').find((d) => d.kind === 'StatefulSet');
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual(expect.objectContaining({ name: 'init', mountPath: '/docker-entrypoint-initdb.d' }));
    const cluster = manifests('k8s/overlays/prod/postgres-cluster.yaml').find((d) => d.kind === 'Cluster');
    expect(cluster.spec.bootstrap.initdb).toEqual({ database: 'shop_accounts', owner: 'shop' });
    expect(read('k8s/base/settings.env')).toContain('PGHOST=shop-postgres-rw');
  });
});

describe('k8s/validate.ts', () => {
  it('reports schema errors, committed secret values and unknown kinds', () => {
    expect(checkManifest({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} })[0]).toMatch(/selector/);
    expect(checkManifest({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { JWT_SECRET: 'x' } })[0]).toMatch(/committed/);
    expect(checkManifest({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' } })[0]).toMatch(/unknown/);
    expect(checkManifest({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'c' }, spec: { instances: 3 } })).toEqual(
      expect.arrayContaining([expect.stringMatching(/storage/), expect.stringMatching(/initdb/)]));
  });

  it('reports kustomization entries that name missing files and dangling references', () => {
    expect(checkKustomization({ kind: 'Kustomization', resources: ['nope.yaml'] }, join(ROOT, 'k8s/base'), ROOT)[0]).toMatch(/nope.yaml/);
    const hpa = { kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'gone' } } };
    expect(crossCheck([hpa])[0]).toMatch(/gone/);
  });
});

describe('the image', () => {
  it('builds on node:20-slim with production dependencies, runs as a non-root user and checks /health', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:20-slim/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^RUN node scripts\/build\.mjs$/m);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*docker\/healthcheck\.mjs/m);
    expect(read('.dockerignore')).toMatch(/^\*\*\/node_modules$/m);
  });

  it('checks health on the ports platform/src/config.ts gives the subgraphs', () => {
    const table = /const DEFAULT_PORTS = (\{[^}]+\})/.exec(read('docker/healthcheck.mjs'))![1];
    expect(Function(`return (${table})`)()).toEqual(DEFAULT_PORTS);
  });

  describe('entrypoint', () => {
    // A stand-in for node that prints what it would run.
    const bin = mkdtempSync(join(tmpdir(), 'entrypoint-'));
    writeFileSync(join(bin, 'node'), '#!/bin/sh\necho "$@"\n');
    chmodSync(join(bin, 'node'), 0o755);
    afterAll(() => rmSync(bin, { recursive: true, force: true }));
    const run = (service: string) => spawnSync('sh', ['docker/entrypoint.sh'], {
      cwd: ROOT, encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: bin, SERVICE: service },
    });

    it.each(subgraphs.filter((s) => existsSync(join(ROOT, 'subgraphs', s, 'src/main.ts'))))('starts the %s subgraph', (name) => {
      expect(run(name).stdout.trim()).toBe(`--conditions=shop-dist --enable-source-maps subgraphs/${name}/dist/main.js`);
    });

    it('starts the gateway and the seed, and refuses an unknown service', () => {
      expect(run('gateway').stdout.trim()).toBe('--conditions=shop-dist --enable-source-maps gateway/dist/main.js');
      // What the HEALTHCHECK reads when the service came as an argument rather than SERVICE.
      expect(readFileSync(join(bin, 'shop-service'), 'utf8')).toBe('gateway');
      expect(run('seed').stdout.trim()).toBe('--import tsx docker/seed.ts');
      expect(run('nonsense').status).toBe(64);
      expect(run('').status).toBe(64);
    });
  });
});
