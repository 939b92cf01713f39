import type { EntityManager } from 'typeorm';
import { requireCustomer, requiredText, type RequestContext } from '../platform';
import {
  decideChangeRequest,
  insertChangeRequest,
  listChangeRequests,
  type ApplyOutcome,
  type ChangeRequestQuery,
  type StoredChangeRequest,
} from '../platform/change-request';
import { toChangeRequest, type ChangeRequest } from '../platform/change-request.types';
import { isMysql } from '../platform/datasource';
import { applyPaymentMethod, validatePaymentMethod, type PaymentMethodDraft } from './account.service';
import { maskIban } from './billing.policy';
import type { PaymentMethodInput } from './billing.types';
import { rememberKind, type BillingContext } from './invoice.service';

/** An IBAN shows masked to everyone, in requests as everywhere else. */
function mask(field: string, value: string | null): string | null {
  return field === 'iban' && value !== null ? maskIban(value) : value;
}

/** The id of the customer's newest payment method ('' for none): the lock a request is made against. */
async function currentMethodId(manager: EntityManager, customerId: string): Promise<string> {
  const rows: { id: string }[] = await manager.query('SELECT id FROM payment_methods WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT 1', [
    customerId,
  ]);
  return rows[0]?.id ?? '';
}

/** Payment-method change requests: stored by billing, which owns the data, so approval is one local transaction. */
export class PaymentChangeService {
  constructor(private readonly ctx: BillingContext) {}

  view(request: StoredChangeRequest): ChangeRequest {
    return toChangeRequest(request, this.ctx.clock.now(), mask);
  }

  async request(customerId: string, input: PaymentMethodInput, reasonText: string): Promise<ChangeRequest> {
    const reason = requiredText('reason', reasonText, 500);
    const draft = validatePaymentMethod(input, this.ctx.loaders.today);
    const customer = await requireCustomer(this.ctx.customerDirectory, customerId, this.ctx.identity);
    const now = this.ctx.clock.now();
    const stored = await this.ctx.dataSource.transaction(async (manager) => {
      // The account row is what approvals of this customer's requests lock.
      await rememberKind(manager, customer.id, customer.kind, now);
      const current = (await this.ctx.loaders.paymentMethodByCustomer.load(customerId)) ?? null;
      return insertChangeRequest(manager, this.ctx as RequestContext<unknown>, this.ctx.loaders.settings.fourEyes, {
        entity: 'PAYMENT_METHOD',
        customerId,
        expected: await currentMethodId(manager, customerId),
        changes: [
          { field: 'type', before: current?.type ?? null, after: draft.type },
          { field: 'iban', before: current?.iban ?? null, after: draft.iban },
          { field: 'validFrom', before: current?.validFrom ?? null, after: draft.validFrom },
        ],
        payload: { ...draft },
        reason,
      });
    });
    return this.view(stored);
  }

  async decide(id: string, approve: boolean, reason: string | null): Promise<ChangeRequest> {
    const decided = await decideChangeRequest(this.ctx as RequestContext<unknown>, id, approve ? 'APPROVE' : 'REJECT', reason, (manager, request) =>
      this.apply(manager, request),
    );
    return this.view(decided);
  }

  list(query: ChangeRequestQuery): Promise<StoredChangeRequest[]> {
    return listChangeRequests(this.ctx.dataSource, query);
  }

  /** Under the account's lock: the method in force must still be the one the request saw. */
  private async apply(manager: EntityManager, request: StoredChangeRequest): Promise<ApplyOutcome> {
    await manager.query(`SELECT customer_id FROM billing_accounts WHERE customer_id = ?${isMysql(manager.connection) ? ' FOR UPDATE' : ''}`, [
      request.customerId,
    ]);
    if ((await currentMethodId(manager, request.customerId)) !== request.expected) return 'SUPERSEDED';
    await applyPaymentMethod(manager, this.ctx, request.customerId, request.payload as unknown as PaymentMethodDraft, this.ctx.clock.now());
    this.ctx.loaders.paymentMethodByCustomer.clear(request.customerId);
    return 'APPLIED';
  }
}
