/**
 * Checks every manifest under k8s/ without a cluster: `npx tsx k8s/validate.ts`.
 *  - each YAML document of each file: built-in kinds against Kubernetes'
 *    schemas (kubernetes-models), CloudNativePG kinds by hand, no Secret
 *    with values;
 *  - each kustomization: the files and directories it names exist;
 *  - each overlay rendered with `kubectl kustomize` (when kubectl is
 *    installed): the same checks on the result, plus references between
 *    objects and the locked-down settings of the shop's containers;
 *  - the generated files are in step with k8s/generate.ts.
 * Exits 1 with one line per problem.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkManifest } from './validation/models';
import { checkKustomization, isKustomization } from './validation/kustomization';
import { crossCheck, render } from './validation/rendered';
import { staleFiles } from './generate';

const ROOT = join(__dirname, '..');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : yamlFiles(path);
    return /\.ya?ml$/.test(e.name) ? [path] : [];
  });
}

function parseFile(path: string): { docs: any[]; errors: string[] } {
  const parsed = parseAllDocuments(readFileSync(path, 'utf8'));
  const errors = parsed.flatMap((d) => d.errors.map((e) => e.message));
  return { docs: parsed.map((d) => d.toJS()).filter((d) => d !== null && d !== undefined), errors };
}

export interface ValidationResult { errors: string[]; checkedFiles: number; renderedOverlays: string[]; kubectlMissing: boolean }

export function validateAll(root = ROOT): ValidationResult {
  const errors: string[] = [];
  const files = yamlFiles(join(root, 'k8s'));
  const kustomizeDirs: string[] = [];
  for (const file of files) {
    const where = relative(root, file);
    const { docs, errors: syntax } = parseFile(file);
    errors.push(...syntax.map((m) => `${where}: ${m}`));
    for (const doc of docs) {
      if (isKustomization(doc)) {
        kustomizeDirs.push(dirname(file));
        errors.push(...checkKustomization(doc, dirname(file), root));
      } else {
        errors.push(...checkManifest(doc).map((m) => `${where}: ${m}`));
      }
    }
  }
  const renderedOverlays: string[] = [];
  let kubectlMissing = false;
  const overlays = kustomizeDirs.filter((d) => dirname(d) === join(root, 'k8s', 'overlays'));
  for (const dir of overlays) {
    const where = relative(root, dir);
    const out = render(dir);
    if (out === null) { kubectlMissing = true; break; }
    if ('error' in out) { errors.push(`${where}: kubectl kustomize failed: ${out.error}`); continue; }
    renderedOverlays.push(where);
    for (const doc of out.docs) errors.push(...checkManifest(doc).map((m) => `${where} (rendered): ${m}`));
    errors.push(...crossCheck(out.docs).map((m) => `${where} (rendered): ${m}`));
  }
  errors.push(...staleFiles(root).map((p) => `${p}: stale, run npx tsx k8s/generate.ts`));
  return { errors, checkedFiles: files.length, renderedOverlays, kubectlMissing };
}

if (require.main === module) {
  const result = validateAll();
  if (result.kubectlMissing) console.warn('k8s/validate: kubectl not found, the rendered overlays were not checked');
  if (result.errors.length) {
    console.error(`k8s/validate: ${result.errors.length} problem(s)\n  ${result.errors.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`k8s/validate: ${result.checkedFiles} files valid; rendered ${result.renderedOverlays.join(', ') || 'nothing'}`);
}
