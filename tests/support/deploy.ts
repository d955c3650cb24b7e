import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** Reading the deployment files the way the tools do: compose with YAML merge keys, manifests as multi-document YAML. */
export const ROOT = resolve(__dirname, '../..');

export const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Every folder under subgraphs/ (a deployable subgraph each). */
export function subgraphFolders(): string[] {
  return readdirSync(join(ROOT, 'subgraphs'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(ROOT, 'subgraphs', e.name, 'package.json')))
    .map((e) => e.name)
    .sort();
}

export function compose(): { services: Record<string, any> } {
  return parse(read('docker-compose.yml'), { merge: true });
}

export function manifests(path: string): any[] {
  return parseAllDocuments(read(path)).map((d) => d.toJS({})).filter(Boolean);
}

export function yamlFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return yamlFilesUnder(rel);
    return /\.ya?ml$/.test(e.name) ? [rel] : [];
  });
}

export const databaseOf = (subgraph: string) => `shop_${subgraph}`;
