import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { Logger, PlatformConfig, RateLimit, SubgraphResources, openRedis, rateLimited } from '@shop/platform';
import { AccountsContext } from '../context';

interface Budgets { loginPerAccount: RateLimit; loginPerIp: RateLimit; registerPerIp: RateLimit; refreshPerIp: RateLimit }

function accountKey(email: string): string {
  // Redis holds a digest, not the address.
  return createHash('sha256').update(email.trim().toLowerCase().slice(0, 320)).digest('hex');
}

/**
 * The sign-in budgets of one accounts process: attempts per minute of
 * `login` per account (email) and per client address, of `register` and
 * `refreshSession` per address. Counted in Redis, so every replica shares
 * them; checked before any password hashing, so a refused attempt costs no
 * argon2. Each attempt counts, successful or not.
 */
export class AuthLimits {
  private budgets: Budgets | null = null;

  open(config: PlatformConfig, log: Logger): SubgraphResources {
    const redis: Redis = openRedis(config, log);
    const prefix = `${config.redis.keyPrefix}:rate`;
    const limits = config.rateLimits;
    this.budgets = {
      loginPerAccount: new RateLimit(redis, `${prefix}:login-account`, limits.loginPerAccount),
      loginPerIp: new RateLimit(redis, `${prefix}:login-ip`, limits.loginPerIp),
      registerPerIp: new RateLimit(redis, `${prefix}:register-ip`, limits.registerPerIp),
      refreshPerIp: new RateLimit(redis, `${prefix}:refresh-ip`, limits.refreshPerIp),
    };
    return { close: async () => { this.budgets = null; redis.disconnect(); } };
  }

  private opened(): Budgets {
    if (!this.budgets) throw new Error('accounts rate limits are not open');
    return this.budgets;
  }

  private async take(budget: RateLimit, key: string, what: string): Promise<void> {
    const attempt = await budget.take(key);
    if (!attempt.allowed) throw rateLimited(what, attempt.retryAfter);
  }

  async login(ctx: AccountsContext, email: string): Promise<void> {
    await this.take(this.opened().loginPerIp, ipOf(ctx), 'sign-in attempts from this address');
    await this.take(this.opened().loginPerAccount, accountKey(email), 'sign-in attempts for this account');
  }

  register(ctx: AccountsContext): Promise<void> {
    return this.take(this.opened().registerPerIp, ipOf(ctx), 'accounts created from this address');
  }

  refresh(ctx: AccountsContext): Promise<void> {
    return this.take(this.opened().refreshPerIp, ipOf(ctx), 'session refreshes from this address');
  }
}

function ipOf(ctx: AccountsContext): string {
  return ctx.clientIp ?? 'unknown';
}
