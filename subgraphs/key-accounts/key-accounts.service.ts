import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  badUserInput,
  forUpdate,
  sqlInstant,
  isUniqueViolation,
  normalizeEmail,
  notFound,
  pageRequest,
  parseMoney,
  requiredText,
  serviceUnavailable,
  toPage,
  utcDate,
  type Page,
  type RequestContext,
  auditChanges,
  forbidden,
} from '../platform';
import { healthScore } from './health-score';
import { KeyAccountEntity, ManagerEntity, MemberEntity } from './key-accounts.entity';
import type { KeyAccountsLoaders } from './key-accounts.loaders';
import { KeyAccountsRepository, type NameCursor } from './key-accounts.repository';
import type { CreateKeyAccountInput, CreateKeyAccountManagerInput, Customer, KeyAccountTier } from './key-accounts.types';

export type KeyAccountsContext = RequestContext<KeyAccountsLoaders>;

const isCursor = (v: unknown): v is NameCursor =>
  typeof v === 'object' && v !== null && typeof (v as NameCursor).name === 'string' && typeof (v as NameCursor).id === 'string';

export interface KeyAccountPage extends Page<KeyAccountEntity> {
  count: () => Promise<number>;
}

/** Key accounts, their managers and members, and customer health. */
export class KeyAccountsService {
  constructor(private readonly ctx: KeyAccountsContext) {}

  async list(args: { tiers?: KeyAccountTier[] | null; managerId?: string | null; first?: number | null; after?: string | null }): Promise<KeyAccountPage> {
    const page = pageRequest('keyAccounts', args.first, args.after, isCursor);
    const filter = { tiers: args.tiers?.length ? args.tiers : undefined, managerId: args.managerId ?? undefined };
    const repository = new KeyAccountsRepository(this.ctx.dataSource.manager);
    const rows = page.first === 0 ? [] : await repository.page(filter, page.after, page.first + 1);
    for (const row of rows) this.ctx.loaders.accountById.prime(row.id, row);
    return { ...toPage(rows, page.first, 'keyAccounts', (a) => ({ name: a.name, id: a.id })), count: () => repository.count(filter) };
  }

  /**
   * The members must exist and be organisations: asked of the customers
   * subgraph before any transaction opens, so no database connection is held
   * while the network answers.
   */
  private async checkCustomers(customerIds: string[], field: string): Promise<void> {
    const found = await this.ctx.customerDirectory.find(customerIds, this.ctx.identity);
    for (const id of customerIds) {
      const customer = found.get(id);
      if (!customer) throw notFound('Customer', id);
      if (customer.kind !== 'ORGANIZATION') throw badUserInput(field, 'the customer is a PERSON; only ORGANIZATION customers can be key-account members');
    }
  }

  /** Inside the transaction: the members belong to no other key account (the primary key settles races). */
  private async checkNotTaken(manager: EntityManager, customerIds: string[], keyAccountId: string | null, field: string): Promise<void> {
    const taken = await new KeyAccountsRepository(manager).membershipsByCustomerIds(customerIds);
    const elsewhere = taken.find((m) => m.keyAccountId !== keyAccountId);
    if (elsewhere) throw badUserInput(field, 'the customer already belongs to another key account');
  }

  private async insertMembers(manager: EntityManager, keyAccountId: string, customerIds: string[], now: Date, field: string): Promise<void> {
    try {
      if (customerIds.length > 0)
        await manager.insert(
          MemberEntity,
          customerIds.map((customerId) => ({ customerId, keyAccountId, addedAt: now })),
        );
    } catch (error) {
      // Two requests raced for the same customer; the primary key let only one win.
      if (isUniqueViolation(error)) throw badUserInput(field, 'a customer already belongs to a key account');
      throw error;
    }
  }

  private async requireManager(id: string): Promise<ManagerEntity> {
    const manager = await this.ctx.loaders.managerById.load(id);
    if (!manager) throw notFound('KeyAccountManager', id);
    return manager;
  }

  private async requireAccount(id: string): Promise<KeyAccountEntity> {
    const account = await this.ctx.loaders.accountById.load(id);
    if (!account) throw notFound('KeyAccount', id);
    return account;
  }

  async create(input: CreateKeyAccountInput): Promise<KeyAccountEntity> {
    const name = requiredText('name', input.name, 200);
    const targetMinor = parseMoney('annualRevenueTarget', input.annualRevenueTarget);
    if (targetMinor <= 0) throw badUserInput('annualRevenueTarget', 'annualRevenueTarget must be greater than 0');
    const memberIds = [...new Set(input.memberIds.map((id) => id.trim()))];
    await this.requireManager(input.managerId);
    await this.requireManages(input.managerId, 'managerId');
    const now = this.ctx.clock.now();
    const account = Object.assign(new KeyAccountEntity(), {
      id: randomUUID(),
      name,
      tier: input.tier,
      managerId: input.managerId,
      annualTargetMinor: targetMinor,
      since: utcDate(now),
      updatedAt: now,
    });
    await this.checkCustomers(memberIds, 'memberIds');
    await this.ctx.dataSource.transaction(async (manager) => {
      await this.checkNotTaken(manager, memberIds, null, 'memberIds');
      await manager.insert(KeyAccountEntity, account);
      await this.insertMembers(manager, account.id, memberIds, now, 'memberIds');
      await this.ctx.audit(manager, {
        action: 'createKeyAccount',
        entityType: 'KeyAccount',
        entityId: account.id,
        changes: auditChanges(null, { ...account, memberIds }),
      });
    });
    return account;
  }

  async assignManager(keyAccountId: string, managerId: string): Promise<KeyAccountEntity> {
    const account = await this.requireAccount(keyAccountId);
    await this.requireManager(managerId);
    await this.requireManages(account.managerId, 'keyAccountId');
    const updatedAt = this.ctx.clock.now();
    await this.ctx.dataSource.transaction(async (manager) => {
      await manager.update(KeyAccountEntity, { id: keyAccountId }, { managerId, updatedAt });
      await this.ctx.audit(manager, {
        action: 'assignKeyAccountManager',
        entityType: 'KeyAccount',
        entityId: keyAccountId,
        changes: auditChanges({ managerId: account.managerId }, { managerId }),
      });
    });
    return Object.assign(account, { managerId, updatedAt });
  }

  async addMember(keyAccountId: string, customerId: string): Promise<KeyAccountEntity> {
    const account = await this.requireAccount(keyAccountId);
    await this.requireManages(account.managerId, 'keyAccountId');
    await this.checkCustomers([customerId], 'customerId');
    await this.ctx.dataSource.transaction(async (manager) => {
      await this.checkNotTaken(manager, [customerId], keyAccountId, 'customerId');
      const existing = await new KeyAccountsRepository(manager).membershipsByCustomerIds([customerId]);
      if (existing.length > 0) return;
      await this.insertMembers(manager, keyAccountId, [customerId], this.ctx.clock.now(), 'customerId');
      await this.ctx.audit(manager, {
        action: 'addKeyAccountMember',
        entityType: 'KeyAccount',
        entityId: keyAccountId,
        changes: [{ field: 'members', before: null, after: customerId }],
      });
    });
    this.ctx.loaders.membersByAccount.clear(keyAccountId);
    return account;
  }

  async removeMember(keyAccountId: string, customerId: string): Promise<KeyAccountEntity> {
    const account = await this.requireAccount(keyAccountId);
    await this.requireManages(account.managerId, 'keyAccountId');
    await this.ctx.dataSource.transaction(async (manager) => {
      const member = await forUpdate(
        manager.createQueryBuilder(MemberEntity, 'm').where('m.keyAccountId = :keyAccountId AND m.customerId = :customerId', { keyAccountId, customerId }),
      ).getOne();
      const result = member ? await manager.delete(MemberEntity, { keyAccountId, customerId }) : { affected: 0 };
      if (!member || !result.affected) throw badUserInput('customerId', 'the customer is not a member of this key account');
      // The timeline keeps the ended membership: when it began and when it ended.
      await manager.query('INSERT INTO key_account_member_history (id, customer_id, key_account_id, joined_at, left_at) VALUES (?, ?, ?, ?, ?)', [
        randomUUID(),
        customerId,
        keyAccountId,
        sqlInstant(manager.connection, member.addedAt),
        sqlInstant(manager.connection, this.ctx.clock.now()),
      ]);
      await this.ctx.audit(manager, {
        action: 'removeKeyAccountMember',
        entityType: 'KeyAccount',
        entityId: keyAccountId,
        changes: [{ field: 'members', before: customerId, after: null }],
      });
    });
    this.ctx.loaders.membersByAccount.clear(keyAccountId);
    return account;
  }

  managers(): Promise<ManagerEntity[]> {
    return new KeyAccountsRepository(this.ctx.dataSource.manager).allManagers();
  }

  async createManager(input: CreateKeyAccountManagerInput): Promise<ManagerEntity> {
    const manager = Object.assign(new ManagerEntity(), {
      id: randomUUID(),
      name: requiredText('name', input.name, 200),
      email: normalizeEmail('email', input.email) ?? '',
      region: requiredText('region', input.region, 100),
    });
    if (!manager.email) throw badUserInput('email', 'email must not be empty');
    await this.ctx.dataSource.transaction(async (tx) => {
      await tx.insert(ManagerEntity, manager);
      await this.ctx.audit(tx, {
        action: 'createKeyAccountManager',
        entityType: 'KeyAccountManager',
        entityId: manager.id,
        changes: auditChanges(null, { ...manager }),
      });
    });
    return manager;
  }

  /**
   * A key-account manager changes only the key accounts they manage: the
   * caller's sub must be that manager's id or e-mail. Supervisors and admins
   * may change any (they hold the role as well, so the rule only binds a
   * caller whose one managing role is key_account_manager).
   */
  private async requireManages(managerId: string, field: string): Promise<void> {
    const roles = this.ctx.identity.roles;
    if (roles.includes('supervisor') || roles.includes('admin') || !roles.includes('key_account_manager')) return;
    // The request's loader: requireManager may have read this manager already.
    const manager = await this.ctx.loaders.managerById.load(managerId);
    const sub = (this.ctx.identity.userId ?? '').toLowerCase();
    if (!manager || (sub !== manager.id.toLowerCase() && sub !== manager.email.toLowerCase())) {
      throw forbidden('a key-account manager may change only the key accounts they manage', field);
    }
  }

  /**
   * healthScore from the figures the gateway fetched from billing, claims and
   * contacts (@requires). When one of them could not answer, its input is
   * null: the score is then not computed from a guess but fails with that
   * service's retryable error, at the healthScore path.
   */
  health(customer: Customer): number {
    if (!customer.overdueBalance) throw serviceUnavailable('billing', 'UNAVAILABLE', true);
    if (customer.openComplaintCount == null) throw serviceUnavailable('claims', 'UNAVAILABLE', true);
    if (customer.contactDataAvailable !== true) throw serviceUnavailable('contacts', 'UNAVAILABLE', true);
    const overdueMinor = parseMoney('overdueBalance', customer.overdueBalance.amount);
    const last = customer.lastContactAt ? Date.parse(customer.lastContactAt) : null;
    return healthScore({
      overdueMinor,
      openComplaints: customer.openComplaintCount,
      daysSinceContact: last === null ? null : (this.ctx.clock.now().getTime() - last) / 86_400_000,
      satisfaction: customer.recentSatisfaction ?? null,
    });
  }
}
