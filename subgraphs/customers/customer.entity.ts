import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One customer's master data. Enum values are stored as their names
 * (varchar), so that MySQL and SQLite hold the same text.
 */
@Entity({ name: 'customers' })
export class CustomerEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The addresses read in the same statement by CustomerRepository.findWithAddresses; not a column, not a field. */
  joinedAddresses?: AddressEntity[];

  /** The number behind customerNumber: the sort key of every customer list. */
  @Index('uq_customers_number_seq', { unique: true })
  @Column({ name: 'number_seq', type: 'int' })
  numberSeq!: number;

  @Index('uq_customers_customer_number', { unique: true })
  @Column({ name: 'customer_number', type: 'varchar', length: 16 })
  customerNumber!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'first_name', type: 'varchar', length: 100, nullable: true })
  firstName!: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 100, nullable: true })
  lastName!: string | null;

  @Column({ name: 'company_name', type: 'varchar', length: 200, nullable: true })
  companyName!: string | null;

  /** Derived from the names at every write; stored so that search can use it. */
  @Column({ name: 'display_name', type: 'varchar', length: 201 })
  displayName!: string;

  @Column({ type: 'varchar', length: 1 })
  segment!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'customer_since', type: 'date' })
  customerSince!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  @Column({ name: 'preferred_channel', type: 'varchar', length: 16, nullable: true })
  preferredChannel!: string | null;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

@Entity({ name: 'customer_addresses' })
export class AddressEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: string;

  @Column({ type: 'varchar', length: 200 })
  street!: string;

  @Column({ name: 'postal_code', type: 'varchar', length: 20 })
  postalCode!: string;

  @Column({ type: 'varchar', length: 100 })
  city!: string;

  @Column({ type: 'varchar', length: 2 })
  country!: string;
}
