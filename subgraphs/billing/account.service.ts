import { randomUUID } from 'node:crypto';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import type { EntityManager } from 'typeorm';
import { auditChanges, badUserInput, forbidden, isCalendarDate, money, parseMoney, requireCustomer, type MoneyValue } from '../platform';
import { bypassesFourEyes } from '../platform/change-request';
import { PaymentMethodEntity } from './billing.entity';
import { lifetimeValueMinor, maskIban, type Segment } from './billing.policy';
import type { PaymentMethod, PaymentMethodInput } from './billing.types';
import { rememberKind, type BillingContext } from './invoice.service';

/** What billing says about a customer: balances, dunning state, payment method, value. */
export class AccountService {
  constructor(private readonly ctx: BillingContext) {}

  private get currency(): string {
    return this.ctx.loaders.settings.policy.currency;
  }

  async figures(customerId: string) {
    return this.ctx.loaders.summaryByCustomer.load(customerId);
  }

  async openBalance(customerId: string): Promise<MoneyValue> {
    return money((await this.figures(customerId)).openMinor, this.currency);
  }

  async overdueBalance(customerId: string): Promise<MoneyValue> {
    return money((await this.figures(customerId)).overdueMinor, this.currency);
  }

  async dunningLevel(customerId: string): Promise<number> {
    return (await this.figures(customerId)).dunningLevel;
  }

  async lifetimeRevenue(customerId: string): Promise<MoneyValue> {
    return money((await this.figures(customerId)).revenueMinor, this.currency);
  }

  /** CLV from revenue so far and the segment and customerSince the customers subgraph provides (@requires). */
  async lifetimeValue(customer: { id: string; segment?: string; customerSince?: string }): Promise<MoneyValue> {
    return this.lifetimeValueFrom((await this.figures(customer.id)).revenueMinor, customer);
  }

  /** CLV from a revenue already read (a page of columns reads all of them in one batch). */
  lifetimeValueFrom(revenueMinor: number, customer: { segment?: string; customerSince?: string }): MoneyValue {
    if (!customer.segment || !customer.customerSince) {
      // Only reachable when queried without the gateway, which always sends the required fields.
      throw badUserInput(undefined, 'lifetimeValue needs the customer segment and customerSince');
    }
    const clv = lifetimeValueMinor(revenueMinor, customer.segment as Segment, customer.customerSince, this.ctx.loaders.today, this.ctx.loaders.settings.policy);
    return money(clv, this.currency);
  }

  async dunningBlocked(customerId: string): Promise<boolean> {
    return (await this.ctx.loaders.accountByCustomer.load(customerId))?.dunningBlocked ?? false;
  }

  async paymentMethod(customerId: string): Promise<PaymentMethod | null> {
    const method = await this.ctx.loaders.paymentMethodByCustomer.load(customerId);
    return method ? toPaymentMethod(method) : null;
  }

  /**
   * Stores a new payment method from validFrom on (default today). Where
   * payment-method changes take a second person (PAYMENT_METHOD_APPROVAL),
   * only FOUR_EYES_BYPASS_ROLES may write one directly; everyone else asks
   * with requestPaymentMethodChange.
   */
  async change(customerId: string, input: PaymentMethodInput): Promise<PaymentMethod> {
    const fourEyes = this.ctx.loaders.settings.fourEyes;
    if (fourEyes.paymentMethod && !bypassesFourEyes(fourEyes, this.ctx.identity.roles)) {
      throw forbidden('a payment-method change needs a second person: use requestPaymentMethodChange', 'input');
    }
    const draft = validatePaymentMethod(input, this.ctx.loaders.today);
    const customer = await requireCustomer(this.ctx.customerDirectory, customerId, this.ctx.identity);
    const now = this.ctx.clock.now();
    const method = await this.ctx.dataSource.transaction(async (manager) => {
      await rememberKind(manager, customer.id, customer.kind, now);
      return applyPaymentMethod(manager, this.ctx, customerId, draft, now);
    });
    this.ctx.loaders.paymentMethodByCustomer.clear(customerId);
    return toPaymentMethod(method);
  }
}

export interface PaymentMethodDraft {
  type: string;
  iban: string | null;
  validFrom: string;
}

/**
 * A direct debit needs an IBAN with a valid checksum; the IBAN is stored in
 * full for collection but only ever answered masked, and never echoed in errors.
 */
export function validatePaymentMethod(input: PaymentMethodInput, today: string): PaymentMethodDraft {
  const validFrom = input.validFrom ?? today;
  if (!isCalendarDate(validFrom)) throw badUserInput('validFrom', 'validFrom must be a date YYYY-MM-DD');
  let iban: string | null = null;
  if (input.iban != null && input.iban.trim() !== '') {
    iban = electronicFormatIBAN(input.iban) ?? '';
    if (!isValidIBAN(iban)) throw badUserInput('iban', 'iban is not a valid IBAN (wrong format or checksum)');
  }
  if (input.type === 'SEPA_DIRECT_DEBIT' && !iban) throw badUserInput('iban', 'SEPA_DIRECT_DEBIT needs an IBAN');
  if (input.type === 'CREDIT_CARD' && iban) throw badUserInput('iban', 'a CREDIT_CARD payment method takes no IBAN');
  return { type: input.type, iban, validFrom };
}

/** Writes the payment method and its audit row with the manager of the caller's transaction. */
export async function applyPaymentMethod(
  manager: EntityManager,
  ctx: BillingContext,
  customerId: string,
  draft: PaymentMethodDraft,
  now: Date,
): Promise<PaymentMethodEntity> {
  const method = Object.assign(new PaymentMethodEntity(), { id: randomUUID(), customerId, ...draft, createdAt: now });
  await manager.insert(PaymentMethodEntity, method);
  await ctx.audit(manager, {
    action: 'changePaymentMethod',
    entityType: 'Customer',
    entityId: customerId,
    changes: auditChanges(null, { paymentMethodType: method.type, iban: method.iban, validFrom: method.validFrom }, ['iban']),
  });
  return method;
}

/** Share of the calendar year elapsed by the end of `today`: day of year / days in the year. */
export function yearElapsed(today: string): number {
  const year = Number(today.slice(0, 4));
  const start = Date.UTC(year, 0, 1);
  const dayOfYear = (Date.parse(`${today}T00:00:00Z`) - start) / 86_400_000 + 1;
  const daysInYear = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000;
  return dayOfYear / daysInYear;
}

/** Key-account revenue: billing's side of KeyAccount. */
export class KeyAccountRevenueService {
  constructor(private readonly ctx: BillingContext) {}

  async revenueYearToDateMinor(memberIds: string[]): Promise<number> {
    const revenues = await this.ctx.loaders.revenueThisYear.loadMany(memberIds);
    return revenues.reduce<number>((sum, r) => sum + (typeof r === 'number' ? r : 0), 0);
  }

  async revenueYearToDate(account: { memberIds?: string[] }): Promise<MoneyValue> {
    return money(await this.revenueYearToDateMinor(account.memberIds ?? []), this.ctx.loaders.settings.policy.currency);
  }

  /** revenueYearToDate / (annualRevenueTarget × share of the year elapsed). */
  async targetAttainment(account: { memberIds?: string[]; annualRevenueTarget?: { amount: string } }): Promise<number> {
    const target = account.annualRevenueTarget ? parseMoney('annualRevenueTarget', account.annualRevenueTarget.amount) : 0;
    if (target <= 0) return 0;
    const revenue = await this.revenueYearToDateMinor(account.memberIds ?? []);
    return revenue / (target * yearElapsed(this.ctx.loaders.today));
  }
}

export function toPaymentMethod(method: PaymentMethodEntity): PaymentMethod {
  return { type: method.type as PaymentMethod['type'], ibanMasked: method.iban ? maskIban(method.iban) : null, validFrom: method.validFrom };
}
