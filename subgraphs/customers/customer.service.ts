import {
  ID_RANGE_MAX_SPREAD,
  forbidden,
  pageIdRange,
  newCustomerId,
  PERSONAL_DATA_ROLES,
  auditChanges,
  badUserInput,
  satisfies,
  notFound,
  MAX_PAGE_SIZE,
  pageRequest,
  toPage,
  utcDate,
  versionConflict,
  type Channel,
  type Page,
  type RequestContext,
} from '../platform';
import type { EntityManager } from 'typeorm';
import { bypassesFourEyes } from '../platform/change-request';
import { CustomerEntity, type AddressEntity } from './customer.entity';
import type { CustomerLoaders } from './customer.loaders';
import { CustomerRepository, type CustomerQuery } from './customer.repository';
import type { AddressType, CreateCustomerInput, CustomerFilter, CustomerKind, CustomerSegment, CustomerStatus, UpdateCustomerInput } from './customer.types';
import { displayNameOf, validateCreate, validateUpdate, type CustomerDraft } from './customer.validation';

export type CustomersContext = RequestContext<CustomerLoaders>;

const CURSOR_TAG = 'customers';
const SEARCH_MAX = 100;

export function formatCustomerNumber(seq: number): string {
  return `C-${String(seq).padStart(6, '0')}`;
}

const isSeq = (value: unknown): value is number => Number.isInteger(value);

/** Validates the list filter and drops what constrains nothing. */
export function toCustomerQuery(filter: CustomerFilter | null | undefined): CustomerQuery {
  const nonEmpty = <T>(list: T[] | null | undefined) => (list && list.length > 0 ? list : undefined);
  const search = filter?.search?.trim();
  if (search && search.length > SEARCH_MAX) {
    throw badUserInput('filter.search', `filter.search must be at most ${SEARCH_MAX} characters`);
  }
  const from = filter?.customerSinceFrom ?? undefined;
  const to = filter?.customerSinceTo ?? undefined;
  if (from && to && from > to) {
    throw badUserInput('filter.customerSinceTo', 'filter.customerSinceTo must not be before filter.customerSinceFrom');
  }
  return {
    segments: nonEmpty(filter?.segments),
    statuses: nonEmpty(filter?.statuses),
    kinds: nonEmpty(filter?.kinds),
    search: search || undefined,
    customerSinceFrom: from,
    customerSinceTo: to,
  };
}

export interface CustomerPage extends Page<CustomerEntity> {
  /** Runs the COUNT only when a client asks for totalCount. */
  count: () => Promise<number>;
}

/** Business rules of the customers subgraph; SQL lives in the repository. */
export class CustomerService {
  constructor(private readonly ctx: CustomersContext) {}

  async get(id: string): Promise<CustomerEntity | null> {
    return this.ctx.loaders.customerById.load(id);
  }

  async getByNumber(customerNumber: string): Promise<CustomerEntity | null> {
    const customer = await CustomerRepository.of(this.ctx.dataSource).findByNumber(customerNumber.trim());
    if (customer) this.ctx.loaders.customerById.prime(customer.id, customer);
    return customer;
  }

  /** `readsRows`: false when the caller asked for the page's cursors and count only, which the audit trail does not record as an export. */
  async list(filter: CustomerFilter | null | undefined, first?: number | null, after?: string | null, readsRows = true): Promise<CustomerPage> {
    const page = await this.page(filter, first, after, readsRows, MAX_PAGE_SIZE, (repository, query, afterSeq, limit) =>
      repository.list(query, afterSeq, limit),
    );
    // A cursors-only page holds sort keys, not customers: nothing to prime.
    if (readsRows) for (const row of page.nodes) this.ctx.loaders.customerById.prime(row.id, row);
    return page;
  }

  /**
   * The same page as `list` (same rules, order, cursors and audit record),
   * of up to `maxFirst` customers with only what a page of columns shows.
   * Partial rows: they never reach the by-id loader's cache.
   */
  listColumns(
    filter: CustomerFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    readsRows: boolean,
    maxFirst: number,
  ) {
    return this.page(filter, first, after, readsRows, maxFirst, (repository, query, afterSeq, limit) => repository.listColumns(query, afterSeq, limit));
  }

  /**
   * Whether the customers with an id between the lowest and the highest of
   * `ids` are at most ID_RANGE_MAX_SPREAD times as many as `ids`: then every
   * subgraph may read them as one range of its index (platform id-range.ts).
   * Costs one index range of at most that many entries.
   */
  async idRangeDense(ids: readonly string[]): Promise<boolean> {
    const range = pageIdRange(ids);
    if (!range) return false;
    const cap = ids.length * ID_RANGE_MAX_SPREAD;
    return (await CustomerRepository.of(this.ctx.dataSource).countIdsBetween(range.low, range.high, cap + 1)) <= cap;
  }

  private async page<T extends Pick<CustomerEntity, 'id' | 'numberSeq'>>(
    filter: CustomerFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    readsRows: boolean,
    maxFirst: number,
    read: (repository: CustomerRepository, query: CustomerQuery, afterSeq: number | undefined, limit: number) => Promise<T[]>,
  ): Promise<Page<T> & { count: () => Promise<number> }> {
    const page = pageRequest(CURSOR_TAG, first, after, isSeq, maxFirst);
    const query = toCustomerQuery(filter);
    // search matches names and e-mail addresses: for a caller who may not see them, an oracle for personal data.
    if (
      query.search &&
      !satisfies(
        this.ctx.identity.roles,
        PERSONAL_DATA_ROLES.map((r) => [r]),
      )
    ) {
      throw forbidden('filter.search matches personal data, which your roles may not see', 'filter.search');
    }
    const repository = CustomerRepository.of(this.ctx.dataSource);
    const count = () => repository.count(query);
    if (!readsRows) {
      // Only cursors (and the count) are shown: the sort keys are enough, and no partial row may reach the loader's cache.
      const keys = page.first === 0 ? [] : await repository.listKeys(query, page.after, page.first + 1);
      return { ...toPage(keys as T[], page.first, CURSOR_TAG, (c) => c.numberSeq), count };
    }
    const rows = page.first === 0 ? [] : await read(repository, query, page.after, page.first + 1);
    // A page of more than EXPORT_THRESHOLD customers is an export: the trail records who took which slice.
    // Its cursors alone (a BI export's look ahead, export-pages.ts) show no customer.
    if (page.first > EXPORT_THRESHOLD) {
      await this.ctx.auditAlone({
        action: 'EXPORT',
        entityType: 'Customer',
        entityId: null,
        changes: [
          { field: 'first', before: null, after: page.first },
          { field: 'filter', before: null, after: filter ?? null },
          { field: 'rows', before: null, after: Math.min(rows.length, page.first) },
        ],
      });
    }
    return { ...toPage(rows, page.first, CURSOR_TAG, (c) => c.numberSeq), count };
  }

  async create(input: CreateCustomerInput): Promise<CustomerEntity> {
    const now = this.ctx.clock.now();
    const draft = validateCreate(input, utcDate(now));
    return this.ctx.dataSource.transaction(async (manager) => {
      const repository = CustomerRepository.of(manager);
      const numberSeq = await repository.nextNumberSeq();
      const customer = Object.assign(new CustomerEntity(), {
        id: newCustomerId(),
        numberSeq,
        customerNumber: formatCustomerNumber(numberSeq),
        ...toColumns(draft),
        customerSince: draft.customerSince,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await repository.insert(customer, draft.addresses);
      await this.ctx.loaders.segmentOutbox.record(manager, customer);
      await this.ctx.audit(manager, {
        action: 'createCustomer',
        entityType: 'Customer',
        entityId: customer.id,
        changes: auditChanges(null, { ...auditView(customer), addresses: draft.addresses }, CUSTOMER_PERSONAL_FIELDS),
      });
      return customer;
    });
  }

  async update(id: string, expectedVersion: number, input: UpdateCustomerInput): Promise<CustomerEntity> {
    const now = this.ctx.clock.now();
    const updated = await this.ctx.dataSource.transaction(async (manager) => {
      const repository = CustomerRepository.of(manager);
      // Locked: the version compared is the stored one, and a loser reports it.
      const current = await repository.findForUpdate(id);
      if (!current) throw notFound('Customer', id);
      if (current.version !== expectedVersion) throw versionConflict('Customer', id, expectedVersion, current.version);
      const addresses = await repository.findAddresses([id]);
      const draft = validateUpdate(toDraft(current, addresses), input);
      const policy = this.ctx.loaders.fourEyes;
      const guarded = changedFields(toDraft(current, addresses), draft).filter((f) => policy.customerFields.includes(f));
      if (guarded.length > 0 && !bypassesFourEyes(policy, this.ctx.identity.roles)) {
        throw forbidden(`${guarded.join(', ')} need a second person: use requestCustomerChange`, 'input');
      }
      return this.write(manager, current, addresses, draft, input, now);
    });
    this.ctx.loaders.customerById.clear(id).prime(id, updated);
    this.ctx.loaders.addressesByCustomerId.clear(id);
    return updated;
  }

  /**
   * Writes a validated change of a locked customer at its current version,
   * with the segment outbox and the audit row, in the caller's transaction:
   * updateCustomer's, or the approval of a change request.
   */
  async write(
    manager: EntityManager,
    current: CustomerEntity,
    addresses: AddressEntity[],
    draft: CustomerDraft,
    input: UpdateCustomerInput,
    now: Date,
  ): Promise<CustomerEntity> {
    const id = current.id;
    const repository = CustomerRepository.of(manager);
    const changed = await repository.updateIfVersion(id, current.version, { ...toColumns(draft), updatedAt: now });
    // Cannot miss under the lock; kept so that the version check never rests on the read alone.
    if (changed !== 1) throw versionConflict('Customer', id, current.version, (await repository.findForUpdate(id))?.version ?? current.version);
    if (input.addresses !== undefined) await repository.replaceAddresses(id, draft.addresses);
    const [stored] = await repository.findByIds([id]);
    await this.ctx.loaders.segmentOutbox.record(manager, stored!);
    await this.ctx.audit(manager, {
      action: 'updateCustomer',
      entityType: 'Customer',
      entityId: id,
      changes: auditChanges(
        { ...auditView(current), addresses },
        { ...auditView(stored!), addresses: input.addresses !== undefined ? draft.addresses : addresses },
        CUSTOMER_PERSONAL_FIELDS,
      ),
    });
    return stored!;
  }
}

/** The draft fields whose values differ (addresses as a whole). */
export function changedFields(before: CustomerDraft, after: CustomerDraft): (keyof CustomerDraft)[] {
  return (Object.keys(after) as (keyof CustomerDraft)[]).filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
}

function toColumns(draft: CustomerDraft) {
  return {
    kind: draft.kind,
    firstName: draft.firstName,
    lastName: draft.lastName,
    companyName: draft.companyName,
    displayName: displayNameOf(draft),
    segment: draft.segment,
    status: draft.status,
    email: draft.email,
    phone: draft.phone,
    preferredChannel: draft.preferredChannel,
  };
}

export function toDraft(
  customer: CustomerEntity,
  addresses: { type: string; street: string; postalCode: string; city: string; country: string }[],
): CustomerDraft {
  return {
    kind: customer.kind as CustomerKind,
    firstName: customer.firstName,
    lastName: customer.lastName,
    companyName: customer.companyName,
    email: customer.email,
    phone: customer.phone,
    preferredChannel: customer.preferredChannel as Channel | null,
    segment: customer.segment as CustomerSegment,
    status: customer.status as CustomerStatus,
    customerSince: customer.customerSince,
    addresses: addresses.map((a) => ({ ...a, type: a.type as AddressType })),
  };
}

/** Customer list pages larger than this are recorded as exports (README, "Audit trail"). */
export const EXPORT_THRESHOLD = 100;

/** Customer fields whose values the audit trail masks (the personal data of README, "Field-level privacy"). */
export const CUSTOMER_PERSONAL_FIELDS = ['firstName', 'lastName', 'displayName', 'email', 'phone', 'addresses'];

/** The audited fields of a customer. */
function auditView(customer: CustomerEntity): Record<string, unknown> {
  const { kind, firstName, lastName, companyName, displayName, segment, status, email, phone, preferredChannel, customerSince, version } = customer;
  return { kind, firstName, lastName, companyName, displayName, segment, status, email, phone, preferredChannel, customerSince, version };
}
