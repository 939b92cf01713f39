import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { manyByKey, oneByKey } from '../platform';
import type { AddressEntity, CustomerEntity } from './customer.entity';
import { CustomerRepository } from './customer.repository';
import { segmentMembersLoader } from './segment-report';

/** Per-request loaders: one SQL statement per field, however many customers a fetch holds. */
export interface CustomerLoaders {
  customerById: DataLoader<string, CustomerEntity | null>;
  addressesByCustomerId: DataLoader<string, AddressEntity[]>;
  /** Customer ids per segment (SegmentReport.customerIds). */
  segmentMembers: DataLoader<string, string[]>;
}

export function createCustomerLoaders(dataSource: DataSource): CustomerLoaders {
  const repository = CustomerRepository.of(dataSource);
  return {
    customerById: oneByKey((ids) => repository.findByIds(ids), (c) => c.id),
    addressesByCustomerId: manyByKey((ids) => repository.findAddresses(ids), (a) => a.customerId),
    segmentMembers: segmentMembersLoader(dataSource),
  };
}
