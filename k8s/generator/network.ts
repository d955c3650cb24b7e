import { ServiceSpec } from './services';

const PART_OF = { 'app.kubernetes.io/part-of': 'shop' };
const component = (c: string) => ({ matchLabels: { 'app.kubernetes.io/component': c } });
const tcp = (port: number) => ({ protocol: 'TCP', port });

function policy(name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, labels: PART_OF }, spec };
}

/**
 * Who may talk to whom inside the namespace: nothing comes in unless a
 * policy lets it; the ingress controller reaches the gateway only; the
 * gateway reaches the subgraphs only; subgraphs reach each other (checkout
 * reads the cart, discounts and shipping directly) and are the only clients
 * of PostgreSQL, NATS and Redis.
 */
export function networkPolicies(subgraphs: ServiceSpec[], gatewayPort: number) {
  const subgraphPorts = subgraphs.map((s) => tcp(s.port));
  return [
    policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
    policy('gateway-from-ingress-controller', {
      podSelector: component('gateway'),
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
        ports: [tcp(gatewayPort)],
      }],
    }),
    policy('gateway-egress-to-subgraphs', {
      podSelector: component('gateway'),
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: component('subgraph') }], ports: subgraphPorts },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, tcp(53)],
        },
      ],
    }),
    policy('subgraphs-from-gateway-and-subgraphs', {
      podSelector: component('subgraph'),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: component('gateway') }, { podSelector: component('subgraph') }], ports: subgraphPorts }],
    }),
    policy('postgres-from-subgraphs', {
      podSelector: component('postgres'),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: component('subgraph') }], ports: [tcp(5432)] }],
    }),
    policy('nats-from-subgraphs-and-peers', {
      podSelector: component('nats'),
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: component('subgraph') }], ports: [tcp(4222)] },
        { from: [{ podSelector: component('nats') }], ports: [tcp(4222), tcp(6222)] },
      ],
    }),
    policy('redis-from-subgraphs', {
      podSelector: component('redis'),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: component('subgraph') }], ports: [tcp(6379)] }],
    }),
  ];
}
