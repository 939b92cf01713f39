import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'key_account_managers' })
export class ManagerEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  region!: string;
}

@Entity({ name: 'key_accounts' })
export class KeyAccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The manager read in the same statement by KeyAccountsRepository.membershipsWithAccounts; not a column. */
  joinedManager?: ManagerEntity;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  tier!: string;

  @Column({ name: 'manager_id', type: 'varchar', length: 36 })
  managerId!: string;

  @Column({
    name: 'annual_target_minor',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) },
  })
  annualTargetMinor!: number;

  @Column({ type: 'date' })
  since!: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** customer_id is the primary key: a customer belongs to at most one key account, held by the database. */
@Entity({ name: 'key_account_members' })
export class MemberEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  /** The key account (with its manager) read in the same statement by membershipsWithAccounts; not a column. */
  joinedAccount?: KeyAccountEntity;

  @Column({ name: 'key_account_id', type: 'varchar', length: 36 })
  keyAccountId!: string;

  @Column({ name: 'added_at', type: 'datetime', precision: 3 })
  addedAt!: Date;
}
