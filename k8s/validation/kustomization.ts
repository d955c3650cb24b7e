import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isKustomization(doc: any): boolean {
  return doc?.kind === 'Kustomization' || doc?.kind === 'Component';
}

function isKustomizeDir(path: string): boolean {
  return KUSTOMIZATION_NAMES.some((n) => existsSync(join(path, n)));
}

/** A generator's source: `key=path` or a plain path. */
function sourcePath(entry: string): string {
  const eq = entry.indexOf('=');
  return eq >= 0 ? entry.slice(eq + 1) : entry;
}

/**
 * Problems of one kustomization: every resource and component must be a
 * file or a kustomization directory that exists, every patch and generator
 * source a file; secretGenerator must not carry values in the repository.
 */
export function checkKustomization(doc: any, dir: string, root: string): string[] {
  const errors: string[] = [];
  const where = relative(root, dir) || '.';
  const refs: { path: string; dirAllowed: boolean; field: string }[] = [];
  for (const r of doc.resources ?? []) {
    if (/^(https?:|github\.com|git@)/.test(r)) continue;
    refs.push({ path: r, dirAllowed: true, field: 'resources' });
  }
  for (const c of doc.components ?? []) refs.push({ path: c, dirAllowed: true, field: 'components' });
  for (const p of [...(doc.patches ?? []), ...(doc.patchesStrategicMerge ?? [])]) {
    const path = typeof p === 'string' ? p : p?.path;
    if (path) refs.push({ path, dirAllowed: false, field: 'patches' });
  }
  for (const g of doc.configMapGenerator ?? []) {
    for (const f of [...(g.envs ?? []), ...(g.env ? [g.env] : []), ...(g.files ?? [])]) {
      refs.push({ path: sourcePath(f), dirAllowed: false, field: `configMapGenerator ${g.name}` });
    }
  }
  for (const g of doc.secretGenerator ?? []) {
    if (g.literals?.length) errors.push(`${where}: secretGenerator ${g.name} commits literal values`);
  }
  for (const ref of refs) {
    const path = join(dir, ref.path);
    if (!existsSync(path)) {
      errors.push(`${where}: ${ref.field} names ${ref.path}, which does not exist`);
    } else if (statSync(path).isDirectory() && (!ref.dirAllowed || !isKustomizeDir(path))) {
      errors.push(`${where}: ${ref.field} names the directory ${ref.path}, which has no kustomization.yaml`);
    }
  }
  return errors;
}
