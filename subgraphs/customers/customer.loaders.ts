import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { manyByKey, oneByKey, type Clock } from '../platform';
import type { AddressEntity, CustomerEntity } from './customer.entity';
import { CustomerRepository } from './customer.repository';
import { SegmentOutbox } from './segment-outbox.service';
import type { AuditSources } from './audit-sources';

/** Per-request loaders: one SQL statement per field, however many customers a fetch holds. */
export interface CustomerLoaders {
  customerById: DataLoader<string, CustomerEntity | null>;
  addressesByCustomerId: DataLoader<string, AddressEntity[]>;
  /** Where createCustomer and updateCustomer record segment changes for billing, claims and contacts. */
  segmentOutbox: SegmentOutbox;
  /** Where auditTrail reads the other subgraphs' rows; undefined: this subgraph's own rows only (in-process uses, tests). */
  auditSources?: AuditSources;
}

/** The loader factory of a server whose outbox wakes `outbox`'s dispatcher after each committed write. */
export function customerLoadersWith(outbox: SegmentOutbox, auditSources?: AuditSources): (dataSource: DataSource, clock: Clock) => CustomerLoaders {
  return (dataSource) => {
    const repository = CustomerRepository.of(dataSource);
    const addressesByCustomerId = manyByKey(
      (ids) => repository.findAddresses(ids),
      (a: AddressEntity) => a.customerId,
    );
    return {
      customerById: oneByKey(
        async (ids) => {
          const customers = await repository.findWithAddresses(ids);
          for (const c of customers) addressesByCustomerId.prime(c.id, c.joinedAddresses ?? []);
          return customers;
        },
        (c) => c.id,
      ),
      addressesByCustomerId,
      segmentOutbox: outbox,
      auditSources,
    };
  };
}

/** Without a dispatcher (in-process uses, tests): changes are recorded, and delivered by whichever dispatcher runs next. */
export const createCustomerLoaders = customerLoadersWith(new SegmentOutbox());
