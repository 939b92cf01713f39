import type { EntityManager } from 'typeorm';
import { afterCommit } from './after-commit';
import type { CustomerEntity } from './customer.entity';
import { SegmentOutboxRepository } from './segment-outbox.repository';

/**
 * The customer writes' side of the outbox: records a customer's segment and
 * version for every peer inside the write's own transaction (so the change
 * and its delivery commit or roll back together), and wakes the dispatcher
 * once that transaction has committed; no network call happens inside it.
 */
export class SegmentOutbox {
  constructor(private readonly dispatcher?: { kick(): void }) {}

  async record(manager: EntityManager, customer: Pick<CustomerEntity, 'id' | 'segment' | 'version' | 'updatedAt'>): Promise<void> {
    await SegmentOutboxRepository.of(manager).record({ customerId: customer.id, segment: customer.segment, version: customer.version }, customer.updatedAt);
    const dispatcher = this.dispatcher;
    if (dispatcher) afterCommit(manager, () => dispatcher.kick());
  }
}
