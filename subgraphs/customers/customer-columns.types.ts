import { Directive, Field, ObjectType } from 'type-graphql';
import { DateScalar, PageInfo, CUSTOMER_COLUMNS_KEY, CustomerColumnsKey } from '../platform';
import { PERSONAL_DATA } from '../platform/access';
import { CustomerKind, CustomerSegment, CustomerStatus } from './customer.types';

/**
 * Customers as columns: entry i of every list belongs to the customer
 * ids[i]. For bulk readers such as the BI exports: every subgraph adds its
 * figures as whole columns of one entity (`@key(fields: "ids")`), so 1,000
 * customers are one fetch per subgraph and the gateway merges a few lists,
 * not 1,000 objects.
 */
@Directive(CUSTOMER_COLUMNS_KEY)
@ObjectType({
  description:
    'Customers as columns: entry i of every list belongs to the customer ids[i]; each subgraph adds its Customer figures as columns of the same names.',
})
export class CustomerColumns extends CustomerColumnsKey {
  @Field(() => [String])
  customerNumber!: string[];

  @Directive(PERSONAL_DATA)
  @Field(() => [String], { description: 'Customer.displayName of each customer; the customer numbers for callers without access to personal data.' })
  displayName!: string[];

  @Field(() => [CustomerKind])
  kind!: CustomerKind[];

  @Field(() => [CustomerSegment])
  segment!: CustomerSegment[];

  @Field(() => [CustomerStatus])
  status!: CustomerStatus[];

  @Field(() => [DateScalar])
  customerSince!: string[];
}

@ObjectType({ description: 'The page of Query.customers with the same arguments (same order, filter and cursors), as columns.' })
export class CustomerColumnsPage {
  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => CustomerColumns)
  columns!: CustomerColumns;
}
