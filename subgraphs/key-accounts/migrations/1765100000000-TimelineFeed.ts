import { timelineFeedMigration, type TimelineFeedTable } from '../../platform/timeline-feed.migration';

/** Key accounts' timeline tables: memberships and their history name the customer; a key account's own row (its tier words the events) reaches every customer who is or was a member. */
const TABLES: TimelineFeedTable[] = [
  { table: 'key_account_members', customer: 'customer_id' },
  { table: 'key_account_member_history', customer: 'customer_id' },
  {
    table: 'key_accounts',
    via: [
      { table: 'key_account_members', match: 'key_account_id', column: 'id' },
      { table: 'key_account_member_history', match: 'key_account_id', column: 'id' },
    ],
  },
];

export const TimelineFeed1765100000000 = timelineFeedMigration('TimelineFeed1765100000000', TABLES);
