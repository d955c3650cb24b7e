/**
 * CloudNativePG resources have no model in kubernetes-models: their
 * apiVersion, kind and the fields the operator requires are checked here.
 */
export const CUSTOM_KINDS = new Set(['postgresql.cnpg.io/v1/Cluster', 'postgresql.cnpg.io/v1/Database']);

const isString = (v: unknown) => typeof v === 'string' && v.length > 0;

function checkCluster(spec: any): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(spec.instances) || spec.instances < 1) errors.push('spec.instances must be an integer >= 1');
  if (!isString(spec.storage?.size) && !isString(spec.storage?.pvcTemplate?.resources?.requests?.storage)) {
    errors.push('spec.storage.size is required');
  }
  if (spec.imageName !== undefined && !isString(spec.imageName)) errors.push('spec.imageName must be a string');
  const initdb = spec.bootstrap?.initdb;
  if (!initdb) errors.push('spec.bootstrap.initdb is required (the shop bootstraps a new cluster)');
  else if (!isString(initdb.database) || !isString(initdb.owner)) errors.push('spec.bootstrap.initdb needs database and owner');
  if (spec.postgresql?.parameters) {
    for (const [k, v] of Object.entries(spec.postgresql.parameters)) {
      if (typeof v !== 'string') errors.push(`spec.postgresql.parameters.${k} must be a string`);
    }
  }
  return errors;
}

function checkDatabase(spec: any): string[] {
  const errors: string[] = [];
  if (!isString(spec.name)) errors.push('spec.name is required');
  if (!isString(spec.owner)) errors.push('spec.owner is required');
  if (!isString(spec.cluster?.name)) errors.push('spec.cluster.name is required');
  if (spec.ensure !== undefined && !['present', 'absent'].includes(spec.ensure)) errors.push('spec.ensure must be present or absent');
  return errors;
}

export function checkCustomResource(doc: any): string[] {
  if (!doc.spec || typeof doc.spec !== 'object') return ['spec is required'];
  return doc.kind === 'Cluster' ? checkCluster(doc.spec) : checkDatabase(doc.spec);
}
