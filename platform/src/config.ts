/**
 * One typed configuration for every process of the shop. Defaults suit a
 * developer machine; every value can be overridden by an environment
 * variable (see the table in the README), and tests derive theirs with
 * `mergeConfig`.
 */
export type SubgraphName =
  | 'accounts' | 'catalog' | 'inventory' | 'cart' | 'discounts' | 'orders'
  | 'payments' | 'shipping' | 'returns' | 'reviews' | 'notifications';

/** Default port of each subgraph; the gateway listens on 4000. */
export const DEFAULT_PORTS: Record<SubgraphName, number> = {
  accounts: 4001, catalog: 4002, inventory: 4003, cart: 4004, discounts: 4005, orders: 4006,
  payments: 4007, shipping: 4008, returns: 4009, reviews: 4010, notifications: 4011,
};

export interface PlatformConfig {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  postgres: { host: string; port: number; user: string; password: string; poolMax: number };
  /** Database of subgraph X is `${databasePrefix}X` unless X_DATABASE says otherwise. */
  databasePrefix: string;
  databases: Partial<Record<SubgraphName, string>>;
  nats: { servers: string };
  /** Every event subject starts with this prefix; the JetStream stream is named after it. */
  eventPrefix: string;
  jwt: {
    issuer: string; audience: string; accessTtlSeconds: number; refreshTtlSeconds: number;
    /** Accounts only: the private JWK set it signs with (first key signs, all are published); `JWT_PRIVATE_KEYS`. */
    privateKeys: string | null;
    /** Accounts only: a file holding that JWK set (a mounted Secret); `JWT_PRIVATE_KEYS_FILE`. */
    privateKeysFile: string | null;
    /** A public JWK set to verify with instead of fetching accounts' JWKS; `JWT_PUBLIC_KEYS`. */
    publicKeys: string | null;
    /** Where accounts publishes its public keys (default: `/.well-known/jwks.json` beside accounts' URL); `JWT_JWKS_URL`. */
    jwksUrl: string | null;
    /** Least time between two fetches of the JWKS on an unknown `kid`; `JWT_JWKS_COOLDOWN_MS`. */
    jwksCooldownMs: number;
  };
  /** Header value the gateway and subgraphs send to subgraphs; when set, /graphql refuses requests without it. */
  subgraphSharedSecret: string | null;
  ports: Record<SubgraphName, number>;
  /** Where the gateway reaches each subgraph (defaults to localhost and the subgraph's port). */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  gateway: {
    host: string; port: number;
    /** Gateway processes serving one port (node:cluster); 1 serves from the main process. */
    workers: number;
    /** Opt-in: identical queries in flight (same document, variables and Authorization) share one execution. */
    inboundDedup: boolean;
    /** Who runs query plans: the gateway's own executor (default) or @apollo/gateway's (`GATEWAY_EXECUTOR=apollo`). */
    executor: 'gateway' | 'apollo';
    /** The supergraph file served (null: the checked-in one); watched and reloaded when it changes. */
    supergraphPath: string | null;
    /** How often the supergraph file is checked for a change. */
    supergraphPollMs: number;
    /** Subgraph fetches: time limit of one attempt, retries of queries on connection errors and 5xx, sockets per subgraph. */
    subgraphTimeoutMs: number;
    subgraphRetries: number;
    subgraphMaxSockets: number;
  };
  /** Calls between subgraphs that must answer at once (callSubgraph): time limit and circuit breaker per target subgraph. */
  subgraphCalls: { timeoutMs: number; breakerFailures: number; breakerHalfOpenMs: number };
  /** On SIGTERM a process answers /ready 503 and keeps serving this long before it stops taking requests. */
  shutdownDelayMs: number;
  /** Federated subscriptions at the gateway (gateway/src/subscriptions/README.md). */
  subscriptions: {
    /** Subscribers whose answers cannot differ share one upstream operation and one run of each event's fetches. */
    sharing: boolean;
    /** A client socket with more unsent bytes than this is closed (code 4413) rather than slowing the others. */
    maxBufferedBytes: number;
  };
  /** What the gateway lets through (README, Operations → Limits). */
  gatewayLimits: GatewayLimits;
  /** Redis, shared by every replica: rate-limit counters live there under `keyPrefix`. */
  redis: { url: string; keyPrefix: string };
  /** Sign-in attempts allowed per minute (accounts enforces them, before any password hashing). */
  rateLimits: { loginPerAccount: number; loginPerIp: number; registerPerIp: number; refreshPerIp: number };
  subgraphHost: string;
  /** Interval at which the outbox relay looks for unpublished events when not woken earlier. */
  outboxPollMs: number;
  /** Time limits of the checkout saga. */
  saga: {
    /** A stock reservation not turned into a sale within this time is released (and its order cancelled). */
    reservationTtlSeconds: number;
    /** An order still PENDING this long after the reservation deadline is cancelled by orders itself. */
    pendingGraceSeconds: number;
    /** A coupon claimed for an order that never got placed is released after this time. */
    couponClaimTtlSeconds: number;
    /** How often the background sweeps (expired reservations, stale claims) run. */
    sweepIntervalMs: number;
  };
  /** How long after delivery a customer may ask to return lines of an order. */
  returnWindowDays: number;
  /** Outgoing mail (notifications): an SMTP server; in development and tests a local one that `npm start` and the tests run. */
  smtp: { host: string; port: number; secure: boolean; user: string | null; password: string | null; from: string };
  /** OpenTelemetry tracing: off (no SDK started) unless `otlp`; `endpoint` is the OTLP/HTTP collector's base URL. */
  tracing: { exporter: 'off' | 'otlp'; endpoint: string | null };
  /** How often gauges read from elsewhere (outbox backlog, consumer lag) are sampled. */
  observability: { sampleIntervalMs: number };
  /**
   * The gateway's cache of whole answers to anonymous queries of public
   * catalog data, in Redis (shared by replicas) under `keyPrefix`,
   * invalidated by the catalog, stock and review events; `ttlSeconds`
   * bounds how long an answer lives even without an event.
   */
  responseCache: { enabled: boolean; keyPrefix: string; ttlSeconds: number };
}

/** Query limits, introspection, the IDE, the safelist and whom the gateway believes about the client's address. */
export interface GatewayLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Σ over object fields of 1 + page size (`first`/`last`, or its default) × the cost of what they select. */
  maxCost: number;
  /** `on`, `off`, or `admin`: only callers whose access token is ADMIN's. */
  introspection: 'on' | 'off' | 'admin';
  /** Serve the GraphiQL page on GET /graphql. */
  ide: boolean;
  /** A manifest of the only operations that may run (sha256 → document), or null for any. */
  safelistPath: string | null;
  /** How many proxies in front of the gateway append to X-Forwarded-For (0: the socket's address is the client's). */
  trustedProxyHops: number;
}

function introspectionMode(value: string | undefined, mode: PlatformConfig['env']): GatewayLimits['introspection'] {
  if (value === undefined || value === '') return mode === 'production' ? 'off' : 'on';
  if (value === 'true' || value === 'on') return 'on';
  if (value === 'false' || value === 'off') return 'off';
  if (value === 'admin') return 'admin';
  throw new Error(`GATEWAY_INTROSPECTION must be on, off or admin, got "${value}"`);
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`Expected an integer, got "${value}"`);
  return n;
}

const NAMES = Object.keys(DEFAULT_PORTS) as SubgraphName[];

/** Reads the configuration from the environment over the defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const mode = (env.NODE_ENV === 'production' || env.NODE_ENV === 'test' ? env.NODE_ENV : 'development') as PlatformConfig['env'];
  const ports = {} as Record<SubgraphName, number>;
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  const databases: Partial<Record<SubgraphName, string>> = {};
  for (const name of NAMES) {
    const key = name.toUpperCase();
    ports[name] = int(env[`${key}_PORT`], DEFAULT_PORTS[name]);
    if (env[`${key}_URL`]) subgraphUrls[name] = env[`${key}_URL`];
    if (env[`${key}_DATABASE`]) databases[name] = env[`${key}_DATABASE`];
  }
  return {
    env: mode,
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'warn' : 'info'),
    postgres: {
      host: env.PGHOST ?? '127.0.0.1',
      port: int(env.PGPORT, 5432),
      user: env.PGUSER ?? 'postgres',
      password: env.PGPASSWORD ?? '',
      poolMax: int(env.PG_POOL_MAX, 10),
    },
    databasePrefix: env.DATABASE_PREFIX ?? 'shop_',
    databases,
    nats: { servers: env.NATS_URL ?? '127.0.0.1:4222' },
    eventPrefix: env.EVENT_PREFIX ?? 'shop',
    jwt: {
      issuer: 'shop-accounts',
      audience: 'shop',
      accessTtlSeconds: int(env.ACCESS_TOKEN_TTL_SECONDS, 15 * 60),
      refreshTtlSeconds: int(env.REFRESH_TOKEN_TTL_SECONDS, 30 * 24 * 3600),
      privateKeys: env.JWT_PRIVATE_KEYS || null,
      privateKeysFile: env.JWT_PRIVATE_KEYS_FILE || null,
      publicKeys: env.JWT_PUBLIC_KEYS || null,
      jwksUrl: env.JWT_JWKS_URL || null,
      jwksCooldownMs: int(env.JWT_JWKS_COOLDOWN_MS, 30_000),
    },
    subgraphSharedSecret: env.SUBGRAPH_SHARED_SECRET || null,
    ports,
    subgraphUrls,
    gateway: {
      host: env.GATEWAY_HOST ?? '0.0.0.0',
      port: int(env.GATEWAY_PORT ?? env.PORT, 4000),
      supergraphPath: env.SUPERGRAPH_PATH || null,
      supergraphPollMs: int(env.SUPERGRAPH_POLL_MS, 1000),
      // Tests burst dozens of argon2 registrations on a shared two-core machine: a fetch there may wait longer than in service.
      subgraphTimeoutMs: int(env.SUBGRAPH_TIMEOUT_MS, mode === 'test' ? 60_000 : 10_000),
      subgraphRetries: int(env.SUBGRAPH_RETRIES, 2),
      subgraphMaxSockets: int(env.SUBGRAPH_MAX_SOCKETS, 256),
      workers: int(env.GATEWAY_WORKERS, 1),
      inboundDedup: env.GATEWAY_INBOUND_DEDUP === 'true',
      executor: env.GATEWAY_EXECUTOR === 'apollo' ? 'apollo' : 'gateway',
    },
    subgraphCalls: {
      timeoutMs: int(env.SUBGRAPH_CALL_TIMEOUT_MS, 5000),
      breakerFailures: int(env.SUBGRAPH_CALL_BREAKER_FAILURES, 5),
      breakerHalfOpenMs: int(env.SUBGRAPH_CALL_BREAKER_HALF_OPEN_MS, 5000),
    },
    shutdownDelayMs: int(env.SHUTDOWN_DELAY_MS, mode === 'production' ? 5000 : 0),
    subscriptions: {
      sharing: env.SUBSCRIPTION_SHARING !== 'false',
      maxBufferedBytes: int(env.SUBSCRIPTION_MAX_BUFFERED_BYTES, 1024 * 1024),
    },
    gatewayLimits: {
      maxDepth: int(env.GATEWAY_MAX_DEPTH, 15),
      maxAliases: int(env.GATEWAY_MAX_ALIASES, 30),
      maxDirectives: int(env.GATEWAY_MAX_DIRECTIVES, 50),
      maxTokens: int(env.GATEWAY_MAX_TOKENS, 5000),
      maxCost: int(env.GATEWAY_MAX_COST, 10000),
      introspection: introspectionMode(env.GATEWAY_INTROSPECTION, mode),
      ide: env.GATEWAY_IDE ? env.GATEWAY_IDE === 'true' : mode !== 'production',
      safelistPath: env.GATEWAY_SAFELIST || null,
      trustedProxyHops: int(env.GATEWAY_TRUSTED_PROXY_HOPS, 0),
    },
    redis: { url: env.REDIS_URL ?? 'redis://127.0.0.1:6379', keyPrefix: env.REDIS_KEY_PREFIX ?? 'shop' },
    rateLimits: {
      loginPerAccount: int(env.RATE_LIMIT_LOGIN_PER_ACCOUNT, 10),
      loginPerIp: int(env.RATE_LIMIT_LOGIN_PER_IP, 60),
      registerPerIp: int(env.RATE_LIMIT_REGISTER_PER_IP, 10),
      refreshPerIp: int(env.RATE_LIMIT_REFRESH_PER_IP, 120),
    },
    subgraphHost: env.SUBGRAPH_HOST ?? '0.0.0.0',
    outboxPollMs: int(env.OUTBOX_POLL_MS, 250),
    saga: {
      reservationTtlSeconds: int(env.RESERVATION_TTL_SECONDS, 15 * 60),
      pendingGraceSeconds: int(env.PENDING_GRACE_SECONDS, 60),
      couponClaimTtlSeconds: int(env.COUPON_CLAIM_TTL_SECONDS, 15 * 60),
      sweepIntervalMs: int(env.SWEEP_INTERVAL_MS, 5000),
    },
    returnWindowDays: int(env.RETURN_WINDOW_DAYS, 30),
    smtp: {
      host: env.SMTP_HOST ?? '127.0.0.1',
      port: int(env.SMTP_PORT, 2525),
      secure: env.SMTP_SECURE === 'true',
      user: env.SMTP_USER || null,
      password: env.SMTP_PASSWORD || null,
      from: env.MAIL_FROM ?? 'Shop <no-reply@shop.local>',
    },
    tracing: {
      exporter: env.TRACING === 'otlp' || (env.TRACING === undefined && Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT)) ? 'otlp' : 'off',
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || null,
    },
    observability: { sampleIntervalMs: int(env.METRICS_SAMPLE_INTERVAL_MS, 15_000) },
    responseCache: {
      enabled: env.RESPONSE_CACHE === 'on',
      keyPrefix: env.RESPONSE_CACHE_PREFIX ?? `${env.EVENT_PREFIX ?? 'shop'}:response-cache`,
      ttlSeconds: int(env.RESPONSE_CACHE_TTL_SECONDS, 10),
    },
  };
}

/** Overrides parts of a configuration, keeping the rest. */
export function mergeConfig(base: PlatformConfig, overrides: DeepPartial<PlatformConfig>): PlatformConfig {
  const out: any = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = (base as any)[key];
    out[key] = value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
      ? mergeConfig(current, value as any)
      : value;
  }
  return out;
}

/** Name of the database a subgraph owns. */
export function databaseName(config: PlatformConfig, name: SubgraphName): string {
  return config.databases[name] ?? `${config.databasePrefix}${name}`;
}

/** URL at which the gateway reaches a subgraph. */
export function subgraphUrl(config: PlatformConfig, name: SubgraphName): string {
  return config.subgraphUrls[name] ?? `http://127.0.0.1:${config.ports[name]}/graphql`;
}
