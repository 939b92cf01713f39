import { timelineFeedMigration, type TimelineFeedTable } from '../../platform/timeline-feed.migration';

/** Claims' timeline tables: complaints and claims name their customer; their histories reach it through them. */
const TABLES: TimelineFeedTable[] = [
  { table: 'complaints', customer: 'customer_id' },
  { table: 'claims', customer: 'customer_id' },
  { table: 'complaint_events', via: [{ table: 'complaints', match: 'id', column: 'complaint_id' }] },
  { table: 'claim_events', via: [{ table: 'claims', match: 'id', column: 'claim_id' }] },
];

export const TimelineFeed1765100000000 = timelineFeedMigration('TimelineFeed1765100000000', TABLES);
