import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import {
  MASKED,
  PERSONAL_DATA_ROLES,
  badUserInput,
  encodeCursor,
  notFound,
  pageRequest,
  requiredText,
  satisfies,
  versionConflict,
  type Page,
  type RequestContext,
} from '../platform';
import {
  decideChangeRequest,
  findChangeRequest,
  insertChangeRequest,
  listChangeRequests,
  type ApplyOutcome,
  type ChangeRequestEntityName,
  type ChangeRequestQuery,
  type ChangeRequestStatusName,
  type StoredChangeRequest,
} from '../platform/change-request';
import { changeRequestDecideField, changeRequestListField, MAX_CHANGE_REQUEST_ROWS } from '../platform/change-request.peer';
import { readChangeRequest, toChangeRequest, type ChangeRequest } from '../platform/change-request.types';
import { CustomerRepository } from './customer.repository';
import { CUSTOMER_PERSONAL_FIELDS, CustomerService, changedFields, toDraft, type CustomersContext } from './customer.service';
import type { UpdateCustomerInput } from './customer.types';
import { validateUpdate } from './customer.validation';
import type { PeerSources } from './peer-sources';
import { callPeerJson, readPeerJson } from './peer-read';

const CURSOR_TAG = 'changeRequests';
type Cursor = [createdAt: string, id: string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string') && !Number.isNaN(Date.parse(v[0] as string));

/** Newest first, then by id: one order over the requests of both subgraphs that store them. */
const newestFirst = (a: ChangeRequest, b: ChangeRequest) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

type ChangeRequestJson = Parameters<typeof readChangeRequest>[0];

/**
 * The public change-request API. Customer master-data requests are stored
 * here; payment-method requests by billing, which owns that data. Deciding
 * a request stored in billing forwards the decision to it, under the
 * deciding user's own principal, outside any transaction here.
 */
export class ChangeRequestService {
  constructor(private readonly ctx: CustomersContext) {}

  /** Personal values show to PERSONAL_DATA_ROLES only; the rest see that they change. */
  private view(request: StoredChangeRequest): ChangeRequest {
    const personal = satisfies(
      this.ctx.identity.roles,
      PERSONAL_DATA_ROLES.map((r) => [r]),
    );
    return toChangeRequest(request, this.ctx.clock.now(), (field, value) =>
      !personal && value !== null && CUSTOMER_PERSONAL_FIELDS.includes(field) ? MASKED : value,
    );
  }

  async requestCustomerChange(customerId: string, expectedVersion: number, input: UpdateCustomerInput, reasonText: string): Promise<ChangeRequest> {
    const reason = requiredText('reason', reasonText, 500);
    const stored = await this.ctx.dataSource.transaction(async (manager) => {
      const repository = CustomerRepository.of(manager);
      const current = await repository.findForUpdate(customerId);
      if (!current) throw notFound('Customer', customerId);
      if (current.version !== expectedVersion) throw versionConflict('Customer', customerId, expectedVersion, current.version);
      const addresses = await repository.findAddresses([customerId]);
      const before = toDraft(current, addresses);
      const after = validateUpdate(before, input);
      const fields = changedFields(before, after);
      if (fields.length === 0) throw badUserInput('input', 'input changes nothing');
      return insertChangeRequest(manager, this.ctx as RequestContext<unknown>, this.ctx.loaders.fourEyes, {
        entity: 'CUSTOMER',
        customerId,
        expected: String(current.version),
        changes: fields.map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null })),
        payload: JSON.parse(JSON.stringify(input)) as Record<string, unknown>,
        reason,
      });
    });
    return this.view(stored);
  }

  async decide(id: string, approve: boolean, reasonText: string | null): Promise<ChangeRequest> {
    const reason = approve ? null : requiredText('reason', reasonText, 500);
    if (await findChangeRequest(this.ctx.dataSource, id)) {
      const decided = await decideChangeRequest(this.ctx as RequestContext<unknown>, id, approve ? 'APPROVE' : 'REJECT', reason, (manager, request) =>
        this.apply(manager, request),
      );
      this.ctx.loaders.customerById.clear(decided.customerId);
      this.ctx.loaders.addressesByCustomerId.clear(decided.customerId);
      return this.view(decided);
    }
    const sources = this.ctx.loaders.peerSources;
    if (!sources?.delegated) throw notFound('ChangeRequest', id);
    const field = changeRequestDecideField('billing');
    const { userId, roles, kind } = this.ctx.identity;
    const json = await callPeerJson<ChangeRequestJson>(
      sources,
      'billing',
      {
        query: `mutation($id: ID!, $approve: Boolean!, $reason: String) { ${field}(id: $id, approve: $approve, reason: $reason) }`,
        variables: { id, approve, reason },
        field,
        headers: await sources.delegated.headersFor({ sub: userId ?? 'anonymous', roles, kind: kind ?? 'user' }),
      },
      'decision',
    );
    return readChangeRequest(json);
  }

  /** Approval of a customer request: the customer locked, still at the version the request saw, else SUPERSEDED. */
  private async apply(manager: EntityManager, request: StoredChangeRequest): Promise<ApplyOutcome> {
    const repository = CustomerRepository.of(manager);
    const current = await repository.findForUpdate(request.customerId);
    if (!current || String(current.version) !== request.expected) return 'SUPERSEDED';
    const addresses = await repository.findAddresses([current.id]);
    const input = request.payload as unknown as UpdateCustomerInput;
    const draft = validateUpdate(toDraft(current, addresses), input);
    await new CustomerService(this.ctx).write(manager, current, addresses, draft, input, this.ctx.clock.now());
    return 'APPLIED';
  }

  /** changeRequests: both stores' requests after the cursor, merged newest first, the page cut. */
  async page(
    status: ChangeRequestStatusName | null | undefined,
    entity: ChangeRequestEntityName | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<ChangeRequest>> {
    const page = pageRequest(CURSOR_TAG, first, after, isCursor);
    if (page.first > MAX_CHANGE_REQUEST_ROWS - 1) throw badUserInput('first', `first must be at most ${MAX_CHANGE_REQUEST_ROWS - 1}`);
    if (page.first === 0) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    const merged = (
      await this.both({
        status: status ?? undefined,
        entity: entity ?? undefined,
        before: page.after ? { at: new Date(page.after[0]), id: page.after[1] } : undefined,
        limit: page.first + 1,
        now: this.ctx.clock.now(),
      })
    ).sort(newestFirst);
    const nodes = merged.slice(0, page.first);
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      pageInfo: { hasNextPage: merged.length > page.first, endCursor: last ? encodeCursor(CURSOR_TAG, [last.createdAt.toISOString(), last.id]) : null },
    };
  }

  /** Customer.pendingChanges: the PENDING requests of all customers of a fetch in one read per store. */
  pending(customerId: string): Promise<ChangeRequest[]> {
    this.ctx.loaders.pendingChanges ??= new DataLoader(async (ids: readonly string[]) => {
      const rows = await this.both({ status: 'PENDING', customerIds: [...ids], limit: MAX_CHANGE_REQUEST_ROWS, now: this.ctx.clock.now() });
      return ids.map((id) => rows.filter((r) => r.customerId === id).sort(newestFirst));
    });
    return this.ctx.loaders.pendingChanges.load(customerId);
  }

  /** A request by id, from either store: the timeline's reference, batched over the events of a fetch. */
  byId(id: string): Promise<ChangeRequest | null> {
    this.ctx.loaders.changeRequestById ??= new DataLoader(async (ids: readonly string[]) => {
      const rows = await this.both({ ids: [...ids], limit: ids.length, now: this.ctx.clock.now() });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    });
    return this.ctx.loaders.changeRequestById.load(id);
  }

  /** The requests of the query from this subgraph and from billing (skipped where the query's entity is the other's). */
  async both(query: ChangeRequestQuery): Promise<ChangeRequest[]> {
    const sources: PeerSources | undefined = this.ctx.loaders.peerSources;
    const [own, billing] = await Promise.all([
      query.entity === 'PAYMENT_METHOD' ? [] : listChangeRequests(this.ctx.dataSource, query).then((rows) => rows.map((r) => this.view(r))),
      query.entity === 'CUSTOMER' || !sources
        ? []
        : readPeerJson<ChangeRequestJson[]>(sources, 'billing', changeRequestListField('billing'), query, 'change requests').then((rows) =>
            rows.map(readChangeRequest),
          ),
    ]);
    return [...own, ...billing];
  }
}
