import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEvent } from './audit';
import type { Identity, Principal } from './auth';
import type { CustomerDirectory } from './customer-directory';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';

export type { Identity } from './auth';

export function identityOf(principal: Principal): Identity {
  return { userId: principal.sub, roles: principal.roles, kind: principal.kind };
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
  /** The service's logger: lines carry the request id and trace id by themselves. */
  logger: Logger;
  /** The service's metrics, for counters of its own (e.g. dunning runs). */
  metrics: ServiceMetrics;
  /** Writes the request's audit row with the manager of the write's own transaction (audit.ts). */
  audit(manager: EntityManager, event: AuditEvent): Promise<void>;
  /** The same in a transaction of its own: for events with no write to join (a refusal, an export). */
  auditAlone(event: AuditEvent): Promise<void>;
}
