import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { describe } from './models';

/** `kubectl kustomize <dir>` (kubectl embeds kustomize), or null when kubectl is not installed. */
export function render(dir: string): { docs: any[] } | { error: string } | null {
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  if (run.status !== 0) return { error: (run.stderr || run.error?.message || 'failed').trim() };
  return { docs: parseAllDocuments(run.stdout).map((d) => d.toJS()).filter(Boolean) };
}

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function podTemplates(docs: any[]) {
  return docs
    .filter((d) => ['Deployment', 'StatefulSet', 'Job'].includes(d.kind))
    .map((d) => ({ owner: d, labels: d.spec?.template?.metadata?.labels ?? {}, spec: d.spec?.template?.spec ?? {} }));
}

/** The shop's own processes (image `shop`) must run locked down and probe /ready and /health. */
function checkShopContainer(owner: any, spec: any): string[] {
  const errors: string[] = [];
  for (const c of spec.containers ?? []) {
    if (!/(^|\/)shop(:|$)/.test(c.image ?? '')) continue;
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) errors.push(`${describe(owner)}: allowPrivilegeEscalation must be false`);
    if (sc.readOnlyRootFilesystem !== true) errors.push(`${describe(owner)}: readOnlyRootFilesystem must be true`);
    if (sc.runAsNonRoot !== true && spec.securityContext?.runAsNonRoot !== true) errors.push(`${describe(owner)}: runAsNonRoot must be true`);
    if (!(c.volumeMounts ?? []).some((m: any) => m.mountPath === '/tmp')) errors.push(`${describe(owner)}: needs a writable /tmp`);
    if (!c.resources?.requests || !c.resources?.limits) errors.push(`${describe(owner)}: needs resource requests and limits`);
    if (owner.kind === 'Deployment') {
      if (c.readinessProbe?.httpGet?.path !== '/ready') errors.push(`${describe(owner)}: readinessProbe must GET /ready`);
      if (c.livenessProbe?.httpGet?.path !== '/health') errors.push(`${describe(owner)}: livenessProbe must GET /health`);
    }
  }
  return errors;
}

/** What only the whole rendered set can tell: dangling references between objects. */
export function crossCheck(docs: any[]): string[] {
  const errors: string[] = [];
  const pods = podTemplates(docs);
  const named = (kind: string, name: string) => docs.some((d) => d.kind === kind && d.metadata?.name === name);
  for (const d of docs) {
    if (d.kind === 'HorizontalPodAutoscaler' && !named(d.spec.scaleTargetRef.kind, d.spec.scaleTargetRef.name)) {
      errors.push(`${describe(d)}: scales ${d.spec.scaleTargetRef.kind}/${d.spec.scaleTargetRef.name}, which is not there`);
    }
    if (d.kind === 'PodDisruptionBudget' && !pods.some((p) => matches(d.spec.selector?.matchLabels, p.labels))) {
      errors.push(`${describe(d)}: selects no pods`);
    }
    if (d.kind === 'Service' && d.spec?.selector && !pods.some((p) => matches(d.spec.selector, p.labels))) {
      errors.push(`${describe(d)}: selects no pods`);
    }
    if (d.kind === 'Database' && !named('Cluster', d.spec.cluster.name)) {
      errors.push(`${describe(d)}: names the cluster ${d.spec.cluster.name}, which is not there`);
    }
    if (d.kind === 'Ingress') {
      for (const rule of d.spec.rules ?? []) for (const p of rule.http?.paths ?? []) {
        if (!named('Service', p.backend.service.name)) errors.push(`${describe(d)}: routes to the missing service ${p.backend.service.name}`);
      }
    }
  }
  for (const p of pods) {
    errors.push(...checkShopContainer(p.owner, p.spec));
    for (const c of p.spec.containers ?? []) for (const e of c.envFrom ?? []) {
      if (e.configMapRef && !named('ConfigMap', e.configMapRef.name)) errors.push(`${describe(p.owner)}: reads the missing ConfigMap ${e.configMapRef.name}`);
    }
  }
  return errors;
}
