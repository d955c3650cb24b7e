import { ServiceSpec } from './services';

/** Labels every workload of the shop carries; NetworkPolicies select on `component`. */
export function labels(s: { name: string; kind: string }): Record<string, string> {
  return { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/component': s.kind, 'app.kubernetes.io/part-of': 'shop' };
}

const RESOURCES = {
  gateway: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '768Mi' } },
  subgraph: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '512Mi' } },
};

const SCALE = { gateway: { min: 2, max: 10 }, subgraph: { min: 2, max: 6 } };

function secretEnv(name: string, secret: string, key: string, optional = false) {
  return { name, valueFrom: { secretKeyRef: { name: secret, key, ...(optional ? { optional: true } : {}) } } };
}

/**
 * What a process reads from Secrets: the subgraphs' shared secret everywhere,
 * the token signing keys in accounts alone (a Secret of their own), database
 * credentials in the subgraphs, SMTP login in notifications.
 */
function secretsOf(s: ServiceSpec) {
  const env = [secretEnv('SUBGRAPH_SHARED_SECRET', 'shop-secrets', 'SUBGRAPH_SHARED_SECRET')];
  if (s.name === 'accounts') env.push(secretEnv('JWT_PRIVATE_KEYS', 'shop-signing-keys', 'JWT_PRIVATE_KEYS'));
  if (s.kind === 'subgraph') {
    // shop-postgres-app is what CloudNativePG creates for the cluster's owner; the dev overlay expects it made by hand.
    env.push(secretEnv('PGUSER', 'shop-postgres-app', 'username'), secretEnv('PGPASSWORD', 'shop-postgres-app', 'password'));
  }
  if (s.name === 'notifications') {
    env.push(secretEnv('SMTP_USER', 'shop-secrets', 'SMTP_USER', true), secretEnv('SMTP_PASSWORD', 'shop-secrets', 'SMTP_PASSWORD', true));
  }
  return env;
}

function probe(path: string, periodSeconds: number, failureThreshold: number) {
  return { httpGet: { path, port: 'http' }, periodSeconds, timeoutSeconds: 3, failureThreshold };
}

export function deployment(s: ServiceSpec) {
  const selector = { 'app.kubernetes.io/name': s.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: s.name, labels: labels(s) },
    spec: {
      // No replicas: the HorizontalPodAutoscaler owns the count.
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: labels(s) },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 40,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: [{
            maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector },
          }],
          containers: [{
            name: s.name,
            image: 'shop',
            imagePullPolicy: 'IfNotPresent',
            env: [{ name: 'SERVICE', value: s.name }, ...secretsOf(s)],
            envFrom: [{ configMapRef: { name: 'shop-config' } }],
            ports: [{ name: 'http', containerPort: s.port, protocol: 'TCP' }],
            // Migrations run before the listener opens: give the first start time.
            startupProbe: probe('/health', 5, 60),
            readinessProbe: probe('/ready', 10, 3),
            livenessProbe: probe('/health', 20, 3),
            // Lets the endpoints drop the pod before SIGTERM starts the graceful stop.
            lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
            resources: RESOURCES[s.kind],
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          // tsx keeps its transform cache in the temp directory.
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '128Mi' } }],
        },
      },
    },
  };
}

export function service(s: ServiceSpec) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, labels: labels(s) },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': s.name },
      ports: [{ name: 'http', port: s.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

export function autoscaler(s: ServiceSpec) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: s.name, labels: labels(s) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: s.name },
      minReplicas: SCALE[s.kind].min,
      maxReplicas: SCALE[s.kind].max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

export function disruptionBudget(s: ServiceSpec) {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: s.name, labels: labels(s) },
    // maxUnavailable rather than minAvailable: a drain never blocks, whatever the replica count.
    spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': s.name } } },
  };
}
