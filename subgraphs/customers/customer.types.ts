import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Channel, DateScalar, DateTimeScalar, PageInfo } from '../platform';
import { PERSONAL_DATA } from '../platform/access';

export enum CustomerKind {
  PERSON = 'PERSON',
  ORGANIZATION = 'ORGANIZATION',
}
registerEnumType(CustomerKind, { name: 'CustomerKind' });

export enum CustomerStatus {
  PROSPECT = 'PROSPECT',
  ACTIVE = 'ACTIVE',
  DORMANT = 'DORMANT',
  CHURNED = 'CHURNED',
}
registerEnumType(CustomerStatus, { name: 'CustomerStatus' });

export enum CustomerSegment {
  A = 'A',
  B = 'B',
  C = 'C',
}
registerEnumType(CustomerSegment, {
  name: 'CustomerSegment',
  description: 'ABC value segment: A holds the most valuable customers.',
});

export enum AddressType {
  POSTAL = 'POSTAL',
  BILLING = 'BILLING',
}
registerEnumType(AddressType, { name: 'AddressType' });

@ObjectType()
export class Address {
  @Field(() => AddressType)
  type!: AddressType;

  @Field()
  street!: string;

  @Field()
  postalCode!: string;

  @Field()
  city!: string;

  @Field({ description: 'ISO-3166-1 alpha-2, e.g. DE.' })
  country!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'The customer: the entity every subgraph extends (@key id).' })
export class Customer {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Human-facing number, unique, e.g. C-000123.' })
  customerNumber!: string;

  @Field(() => CustomerKind)
  kind!: CustomerKind;

  @Directive(PERSONAL_DATA)
  @Field({ description: 'Person: first and last name; organisation: company name.' })
  displayName!: string;

  @Directive(PERSONAL_DATA)
  @Field(() => String, { nullable: true, description: 'Persons only.' })
  firstName!: string | null;

  @Directive(PERSONAL_DATA)
  @Field(() => String, { nullable: true, description: 'Persons only.' })
  lastName!: string | null;

  @Field(() => String, { nullable: true, description: 'Organisations only.' })
  companyName!: string | null;

  @Field(() => CustomerSegment)
  segment!: CustomerSegment;

  @Field(() => CustomerStatus)
  status!: CustomerStatus;

  @Field(() => DateScalar)
  customerSince!: string;

  @Directive(PERSONAL_DATA)
  @Field(() => String, { nullable: true })
  email!: string | null;

  @Directive(PERSONAL_DATA)
  @Field(() => String, { nullable: true, description: 'E.164, e.g. +4930123456.' })
  phone!: string | null;

  @Field(() => Channel, { nullable: true })
  preferredChannel!: Channel | null;

  // `addresses` is resolved through a DataLoader in CustomerResolver.

  @Field(() => Int, { description: 'Optimistic-lock version: an update must send the version it read.' })
  version!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@ObjectType()
export class CustomerConnection {
  @Field(() => [Customer])
  nodes!: Customer[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  // `totalCount` is a field resolver (CustomerConnectionResolver): counted only when asked for.
}

@InputType({ description: 'All given criteria must hold (AND); a list means any of its values (OR). An empty list is no constraint.' })
export class CustomerFilter {
  @Field(() => [CustomerSegment], { nullable: true })
  segments?: CustomerSegment[] | null;

  @Field(() => [CustomerStatus], { nullable: true })
  statuses?: CustomerStatus[] | null;

  @Field(() => [CustomerKind], { nullable: true })
  kinds?: CustomerKind[] | null;

  @Field(() => String, { nullable: true, description: 'Matches display name, customer number or email.' })
  search?: string | null;

  @Field(() => DateScalar, { nullable: true })
  customerSinceFrom?: string | null;

  @Field(() => DateScalar, { nullable: true })
  customerSinceTo?: string | null;
}

@InputType()
export class AddressInput {
  @Field(() => AddressType)
  type!: AddressType;

  @Field()
  street!: string;

  @Field()
  postalCode!: string;

  @Field()
  city!: string;

  @Field()
  country!: string;
}

@InputType()
export class CreateCustomerInput {
  @Field(() => CustomerKind)
  kind!: CustomerKind;

  @Field(() => String, { nullable: true })
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => String, { nullable: true })
  companyName?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => Channel, { nullable: true })
  preferredChannel?: Channel | null;

  @Field(() => CustomerSegment, { nullable: true, description: 'Defaults to C.' })
  segment?: CustomerSegment | null;

  @Field(() => [AddressInput], { nullable: true })
  addresses?: AddressInput[] | null;

  @Field(() => CustomerStatus, { nullable: true, description: 'Defaults to ACTIVE.' })
  status?: CustomerStatus | null;

  @Field(() => DateScalar, { nullable: true, description: 'Defaults to today (UTC); never in the future.' })
  customerSince?: string | null;
}

@InputType({ description: 'Only the fields given are changed (administration of master data).' })
export class UpdateCustomerInput {
  @Field(() => String, { nullable: true })
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => String, { nullable: true })
  companyName?: string | null;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  phone?: string | null;

  @Field(() => Channel, { nullable: true, description: 'null clears it.' })
  preferredChannel?: Channel | null;

  @Field(() => CustomerSegment, { nullable: true })
  segment?: CustomerSegment | null;

  @Field(() => CustomerStatus, { nullable: true })
  status?: CustomerStatus | null;

  @Field(() => [AddressInput], { nullable: true, description: 'Replaces all addresses; null or [] removes them.' })
  addresses?: AddressInput[] | null;
}
