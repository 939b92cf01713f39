import { In, IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import { ContactPersonEntity } from './contact-person.entity';

/** All SQL on contact persons. */
export class ContactPersonRepository {
  constructor(private readonly manager: EntityManager) {}

  static of(source: DataSource | EntityManager): ContactPersonRepository {
    return new ContactPersonRepository('manager' in source ? source.manager : source);
  }

  findByIds(ids: readonly string[]): Promise<ContactPersonEntity[]> {
    return this.manager.find(ContactPersonEntity, { where: { id: In([...ids]) } });
  }

  /** Primary first, then in the order they were added. */
  findByCustomerIds(customerIds: readonly string[]): Promise<ContactPersonEntity[]> {
    return this.manager.find(ContactPersonEntity, {
      where: { customerId: In([...customerIds]) },
      order: { primaryMarker: 'DESC', createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Clears the customer's primary flag, so that a new primary can take it. */
  async demotePrimary(customerId: string): Promise<void> {
    await this.manager.update(ContactPersonEntity, { customerId, primaryMarker: Not(IsNull()) }, { primaryMarker: null });
  }

  async insert(person: ContactPersonEntity): Promise<void> {
    await this.manager.insert(ContactPersonEntity, person);
  }
}
