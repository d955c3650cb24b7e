import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { checkCustomResource, CUSTOM_KINDS } from './custom-resources';

type Model = new (obj: any) => { validate(): void };

/** The built-in kinds the manifests use, checked against Kubernetes' schemas by kubernetes-models. */
const MODELS: Record<string, Model> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'batch/v1/Job': Job,
};

export function describe(doc: any): string {
  return `${doc?.kind ?? '?'}/${doc?.metadata?.name ?? '?'}`;
}

/** Problems of one manifest: schema errors, unknown kinds, committed secret values. */
export function checkManifest(doc: any): string[] {
  if (!doc || typeof doc !== 'object') return ['not a mapping'];
  if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') return ['apiVersion and kind are required'];
  if (!doc.metadata?.name) return [`${describe(doc)}: metadata.name is required`];
  const key = `${doc.apiVersion}/${doc.kind}`;
  const errors: string[] = [];
  if (doc.kind === 'Secret' && (hasEntries(doc.data) || hasEntries(doc.stringData))) {
    errors.push(`${describe(doc)}: a Secret with values is committed; document its keys in k8s/secrets.example.env instead`);
  }
  const model = MODELS[key];
  if (model) {
    try {
      new model(doc).validate();
    } catch (e) {
      errors.push(`${describe(doc)}: ${(e as Error).message}`);
    }
  } else if (CUSTOM_KINDS.has(key)) {
    errors.push(...checkCustomResource(doc).map((m) => `${describe(doc)}: ${m}`));
  } else {
    errors.push(`${describe(doc)}: unknown apiVersion/kind ${key} (add it to k8s/validation/models.ts)`);
  }
  return errors;
}

function hasEntries(value: unknown): boolean {
  return !!value && typeof value === 'object' && Object.keys(value).length > 0;
}
