import type { GraphQLSchema } from 'graphql';
import { createAuditSourceResolver } from '../platform/audit.resolver';
import { buildFederatedSchema, type DataSourceOptions, type SafeLogger } from '../platform';
import { KeyAccountEntity, ManagerEntity, MemberEntity } from './key-accounts.entity';
import type { KeyAccountsLoaders } from './key-accounts.loaders';
import { CustomerKeyAccountResolver, KeyAccountConnectionResolver, KeyAccountManagerResolver, KeyAccountResolver } from './key-accounts.resolver';
import { Customer, CustomerColumns } from './key-accounts.types';
import { CustomerColumnsKeyAccountsResolver } from './customer-columns.resolver';
import { CreateKeyAccounts1764200000000 } from './migrations/1764200000000-CreateKeyAccounts';
import { AuditEvents1764700000000 } from './migrations/1764700000000-AuditEvents';
import { MemberHistory1765000000000 } from './migrations/1765000000000-MemberHistory';
import { TimelineFeed1765100000000 } from './migrations/1765100000000-TimelineFeed';

export function keyAccountsDataSourceOptions(logger?: SafeLogger): DataSourceOptions {
  return {
    entities: [ManagerEntity, KeyAccountEntity, MemberEntity],
    migrations: [CreateKeyAccounts1764200000000, AuditEvents1764700000000, MemberHistory1765000000000, TimelineFeed1765100000000],
    logger,
  };
}

/** The key-accounts subgraph's schema: pure, no I/O. */
export function buildKeyAccountsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      createAuditSourceResolver('key-accounts'),
      CustomerKeyAccountResolver,
      CustomerColumnsKeyAccountsResolver,
      KeyAccountResolver,
      KeyAccountConnectionResolver,
      KeyAccountManagerResolver,
    ],
    orphanedTypes: [Customer, CustomerColumns],
    referenceResolvers: {
      // The representation carries what healthScore requires.
      Customer: { __resolveReference: (reference: Customer) => reference },
      CustomerColumns: { __resolveReference: (reference: CustomerColumns) => reference },
      KeyAccount: {
        __resolveReference: (reference: { id: string }, ctx: { loaders: KeyAccountsLoaders }) => ctx.loaders.accountById.load(reference.id),
      },
    },
  });
}
