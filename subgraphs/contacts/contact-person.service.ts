import { randomUUID } from 'node:crypto';
import { auditChanges, badUserInput, retryConflicts, normalizeEmail, normalizePhone, optionalText, requireCustomer, requiredText } from '../platform';
import { ContactPersonEntity } from './contact-person.entity';
import { ContactPersonRepository } from './contact-person.repository';
import type { ContactPersonInput } from './contacts.types';
import type { ContactsContext } from './interaction.service';

/** Rules of contact persons: organisations only, at most one primary per customer. */
/** Enough for a burst of concurrent primaries for one organisation: each attempt is one short transaction. */
const PRIMARY_ATTEMPTS = 20;

export class ContactPersonService {
  constructor(private readonly ctx: ContactsContext) {}

  forCustomer(customerId: string): Promise<ContactPersonEntity[]> {
    return this.ctx.loaders.contactPersonsByCustomer.load(customerId);
  }

  async add(input: ContactPersonInput): Promise<ContactPersonEntity> {
    const person = Object.assign(new ContactPersonEntity(), {
      id: randomUUID(),
      customerId: input.customerId,
      name: requiredText('name', input.name, 200),
      role: optionalText('role', input.role, 100),
      email: normalizeEmail('email', input.email),
      phone: normalizePhone('phone', input.phone),
      primaryMarker: input.primary ? 1 : null,
      createdAt: this.ctx.clock.now(),
    });
    const customer = await requireCustomer(this.ctx.customerDirectory, input.customerId, this.ctx.identity);
    if (customer.kind !== 'ORGANIZATION') {
      throw badUserInput('customerId', 'contact persons belong to ORGANIZATION customers; this customer is a PERSON');
    }
    // The new primary replaces the old one in one transaction. The unique index
    // (customer_id, primary_marker) stops two concurrent primaries; the loser
    // (a duplicate key, or a deadlock InnoDB broke) runs again, and the last one wins.
    await retryConflicts(
      () =>
        this.ctx.dataSource.transaction(async (manager) => {
          const repository = ContactPersonRepository.of(manager);
          if (person.primaryMarker) await repository.demotePrimary(person.customerId);
          await repository.insert(person);
          await this.ctx.audit(manager, {
            action: 'addContactPerson',
            entityType: 'ContactPerson',
            entityId: person.id,
            changes: auditChanges(null, { ...person }, ['name', 'email', 'phone']),
          });
        }),
      PRIMARY_ATTEMPTS,
    );
    this.ctx.loaders.contactPersonsByCustomer.clear(person.customerId);
    return person;
  }
}
