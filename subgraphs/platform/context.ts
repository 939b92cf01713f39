import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource } from 'typeorm';
import type { CustomerDirectory } from './customer-directory';

/**
 * Placeholder role model: the gateway forwards who is calling, subgraphs read
 * it. Nothing is enforced yet; the roles only document intent.
 * - viewer: reads
 * - agent: customer-service work (log contacts, file complaints, payments)
 * - supervisor: escalations, write-offs, dunning runs
 * - admin: everything, master data included
 */
export const ROLES = ['viewer', 'agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** Who is calling, or null for an anonymous caller. */
  userId: string | null;
  roles: Role[];
}

/** Headers the gateway sets on every subgraph request. */
export const IDENTITY_HEADERS = { user: 'x-c360-user', roles: 'x-c360-roles' } as const;

const USER_ID_RE = /^[\w.@:-]{1,100}$/;

/** Reads the caller from the forwarded headers; unknown roles are dropped. */
export function identityFromHeaders(headers: IncomingHttpHeaders): Identity {
  const user = headers[IDENTITY_HEADERS.user];
  const roles = headers[IDENTITY_HEADERS.roles];
  const userId = typeof user === 'string' && USER_ID_RE.test(user) ? user : null;
  const roleList = (typeof roles === 'string' ? roles.split(',') : []).map((r) => r.trim()).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  return { userId, roles: roleList };
}

/** The name written into audit fields (history, handledBy defaults). */
export function actorOf(identity: Identity): string {
  return identity.userId ?? 'anonymous';
}

/** Where "now" comes from; tests pass a fixed clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class FixedClock implements Clock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: Date): void {
    this.instant = instant;
  }
}

/** What every resolver gets: the data source and per-request DataLoaders. */
export interface RequestContext<L> {
  dataSource: DataSource;
  loaders: L;
  identity: Identity;
  clock: Clock;
  /** Asks the customers subgraph whether a customer exists (writes only). */
  customerDirectory: CustomerDirectory;
}
