import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { manyByKey, oneByKey, type Clock } from '../platform';
import type { AddressEntity, CustomerEntity } from './customer.entity';
import { CustomerRepository } from './customer.repository';
import { SegmentOutbox } from './segment-outbox.service';
import type { PeerSources } from './peer-sources';
import type { Page } from '../platform';
import type { TimelineRow } from '../platform/timeline';
import { customerTimeline } from './customer.timeline';
import { DEFAULT_FOUR_EYES, type FourEyesPolicy } from '../platform/change-request';
import { changeRequestTimelineBranches, summarizeChangeRequestEvent, type ChangeRequest } from '../platform/change-request.types';
import { timelinePages, type TimelineArgs } from './timeline.service';

/** One customer's timeline with the arguments it was asked for. */
export interface TimelineKey {
  customerId: string;
  args: TimelineArgs;
}

/** Per-request loaders: one SQL statement per field, however many customers a fetch holds. */
export interface CustomerLoaders {
  customerById: DataLoader<string, CustomerEntity | null>;
  addressesByCustomerId: DataLoader<string, AddressEntity[]>;
  /** Where createCustomer and updateCustomer record segment changes for billing, claims and contacts. */
  segmentOutbox: SegmentOutbox;
  /** Where auditTrail reads the other subgraphs' rows; undefined: this subgraph's own rows only (in-process uses, tests). */
  peerSources?: PeerSources;
  /** Customer.timeline: the customers of one fetch asked with the same arguments are one read per source. */
  timeline: DataLoader<TimelineKey, Page<TimelineRow>, string>;
  /** Which customer changes take a second person (platform/change-request.ts). */
  fourEyes: FourEyesPolicy;
  /** Customer.pendingChanges, made on first use (its views depend on the caller's roles). */
  pendingChanges?: DataLoader<string, ChangeRequest[]>;
  /** ChangeRequestTimelineEvent.changeRequest, made on first use. */
  changeRequestById?: DataLoader<string, ChangeRequest | null>;
}

/** The loader factory of a server whose outbox wakes `outbox`'s dispatcher after each committed write. */
export function customerLoadersWith(
  outbox: SegmentOutbox,
  peerSources?: PeerSources,
  fourEyes: FourEyesPolicy = DEFAULT_FOUR_EYES,
): (dataSource: DataSource, clock: Clock) => CustomerLoaders {
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
      peerSources,
      timeline: timelineLoader(dataSource),
      fourEyes,
    };
  };
}

/** Without a dispatcher (in-process uses, tests): changes are recorded, and delivered by whichever dispatcher runs next. */
export const createCustomerLoaders = customerLoadersWith(new SegmentOutbox());

function timelineLoader(dataSource: DataSource): DataLoader<TimelineKey, Page<TimelineRow>, string> {
  const own = customerTimeline({ branches: changeRequestTimelineBranches, summarize: summarizeChangeRequestEvent });
  return new DataLoader<TimelineKey, Page<TimelineRow>, string>(
    async (keys) => {
      const groups = new Map<string, TimelineKey[]>();
      for (const key of keys) {
        const group = JSON.stringify(key.args);
        groups.set(group, [...(groups.get(group) ?? []), key]);
      }
      const pages = new Map<TimelineKey, Page<TimelineRow>>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const ids = [...new Set(group.map((k) => k.customerId))];
          const result = await timelinePages(dataSource, own, ids, group[0]!.args);
          const byId = new Map(ids.map((id, i) => [id, result[i]!]));
          for (const key of group) pages.set(key, byId.get(key.customerId)!);
        }),
      );
      return keys.map((k) => pages.get(k)!);
    },
    { cacheKeyFn: (key) => `${key.customerId}|${JSON.stringify(key.args)}`, maxBatchSize: 1000 },
  );
}
