import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { EnvReader, Principal } from '../subgraphs/platform';
import { limitFor, readRoleLimits } from './limits';

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
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perMinute: 12_000, roles: {}, failuresPerMinute: 600 };

export function readRateLimits(reader: EnvReader): RateLimits {
  const roles = readRoleLimits(reader, 'RATE_LIMIT_ROLES', 'analyst=1200,agent=300');
  if (Object.values(roles).some((n) => n < 1)) reader.fail('RATE_LIMIT_ROLES must give each role at least 1 request per minute');
  return {
    perMinute: reader.int('RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMITS.perMinute, 1, 10_000_000),
    roles,
    failuresPerMinute: reader.int('RATE_LIMIT_FAILURES_PER_MINUTE', DEFAULT_RATE_LIMITS.failuresPerMinute, 1, 10_000_000),
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
 * per client IP, kept in this process by rate-limiter-flexible. A caller
 * over its limit is refused before anything is planned; others are not
 * affected. (Counters shared by several gateway replicas, in Redis, are not
 * built yet: issue 13.)
 */
export class RateLimiter {
  private readonly callers = new Map<number, RateLimiterMemory>();
  private readonly failures: RateLimiterMemory;

  constructor(private readonly limits: RateLimits) {
    this.failures = new RateLimiterMemory({ points: limits.failuresPerMinute, duration: 60, keyPrefix: 'fail' });
  }

  private limiterFor(points: number): RateLimiterMemory {
    let limiter = this.callers.get(points);
    if (!limiter) this.callers.set(points, (limiter = new RateLimiterMemory({ points, duration: 60, keyPrefix: `p${points}` })));
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
}
