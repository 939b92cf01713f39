import { GraphQLError } from 'graphql';
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { EnvReader, Principal } from '../subgraphs/platform';
import { limitFor, readRoleLimits } from './limits';
import { createLogger, safeError } from '../subgraphs/platform/logger';

/** Requests per minute (README, "Rate limits"); each read from the environment. */
export interface RateLimits {
  /**
   * RATE_LIMIT_PER_MINUTE: per principal (user or API key); default 12,000
   * (200 a second: more than two cores serve, so only a runaway client meets it).
   */
  perMinute: number;
  /** RATE_LIMIT_ROLES: per-role limits, e.g. "analyst=1200,agent=300", instead of the default; of a caller's roles with one, the highest applies. Default none. */
  roles: Record<string, number>;
  /** RATE_LIMIT_FAILURES_PER_MINUTE: failed authentications per client IP; default 600. */
  failuresPerMinute: number;
  /**
   * REDIS_URL: where counters shared by every gateway replica live, e.g.
   * redis://redis:6379/0; default none: each process counts on its own.
   */
  redisUrl?: string;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perMinute: 12_000, roles: {}, failuresPerMinute: 600 };

export function readRateLimits(reader: EnvReader): RateLimits {
  const roles = readRoleLimits(reader, 'RATE_LIMIT_ROLES', 'analyst=1200,agent=300');
  if (Object.values(roles).some((n) => n < 1)) reader.fail('RATE_LIMIT_ROLES must give each role at least 1 request per minute');
  return {
    perMinute: reader.int('RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMITS.perMinute, 1, 10_000_000),
    roles,
    failuresPerMinute: reader.int('RATE_LIMIT_FAILURES_PER_MINUTE', DEFAULT_RATE_LIMITS.failuresPerMinute, 1, 10_000_000),
    redisUrl: reader.raw('REDIS_URL') ? reader.url('REDIS_URL', '', ['redis:', 'rediss:']) : undefined,
  };
}

/** HTTP 429 with Retry-After (whole seconds) and the code RATE_LIMITED. */
function tooMany(rejection: RateLimiterRes): GraphQLError {
  const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  return new GraphQLError(`Too many requests; retry after ${seconds} s`, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds, http: { status: 429, headers: new Map([['retry-after', String(seconds)]]) } },
  });
}

/**
 * Fixed one-minute windows per principal and, for failed authentications,
 * per client IP, counted by rate-limiter-flexible. A caller over its limit
 * is refused before anything is planned; others are not affected.
 *
 * With REDIS_URL the counters live in Redis (one atomic increment per
 * request), so the limit holds across every gateway replica. Should Redis be
 * unreachable, each replica falls back to counting in its own memory (the
 * library's insurance limiter) instead of refusing or letting everything
 * through.
 */
export class RateLimiter {
  private readonly callers = new Map<number, RateLimiterAbstract>();
  private readonly failures: RateLimiterAbstract;
  private readonly redis?: Redis;

  constructor(private readonly limits: RateLimits) {
    if (limits.redisUrl) {
      // Fail fast while disconnected: the insurance limiter answers then, no request waits for a reconnect.
      this.redis = new Redis(limits.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
      this.redis.on('error', (error: Error) => createLogger('gateway').error({ err: safeError(error) }, 'rate-limit store failed'));
    }
    this.failures = this.limiter(limits.failuresPerMinute, 'fail');
  }

  private limiter(points: number, name: string): RateLimiterAbstract {
    const keyPrefix = `c360:rl:${name}`;
    const memory = new RateLimiterMemory({ points, duration: 60, keyPrefix });
    if (!this.redis) return memory;
    return new RateLimiterRedis({ storeClient: this.redis, points, duration: 60, keyPrefix, insuranceLimiter: memory, rejectIfRedisNotReady: true });
  }

  private limiterFor(points: number): RateLimiterAbstract {
    let limiter = this.callers.get(points);
    if (!limiter) this.callers.set(points, (limiter = this.limiter(points, `p${points}`)));
    return limiter;
  }

  /** Counts one request of the principal; throws RATE_LIMITED over its limit. */
  async take(principal: Principal): Promise<void> {
    const points = limitFor(principal.roles, this.limits.roles, this.limits.perMinute);
    try {
      await this.limiterFor(points).consume(`${principal.kind}:${principal.sub}`);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooMany(rejection);
      throw rejection;
    }
  }

  /** Counts one failed authentication from `ip`; throws RATE_LIMITED once there were too many. */
  async failed(ip: string): Promise<void> {
    try {
      await this.failures.consume(ip);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooMany(rejection);
      throw rejection;
    }
  }

  /**
   * Resolves once Redis answers, or after `timeoutMs` (counted in memory
   * until it does): a replica that starts while Redis is away still serves.
   */
  async ready(timeoutMs = 5000): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        redis!.off('ready', done);
        resolve();
      }
      redis.once('ready', done);
    });
  }

  /** Closes the Redis connection, if there is one. */
  async stop(): Promise<void> {
    if (!this.redis) return;
    // quit() lets pending commands finish; a client that is reconnecting only stops with disconnect().
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
