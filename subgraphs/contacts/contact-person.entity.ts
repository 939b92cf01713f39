import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'contact_persons' })
export class ContactPersonEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  role!: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  /**
   * 1 for the customer's primary contact, NULL otherwise. A unique index on
   * (customer_id, primary_marker) lets the database itself hold "at most one
   * primary per customer", since NULLs never collide.
   */
  @Column({ name: 'primary_marker', type: 'smallint', nullable: true })
  primaryMarker!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
