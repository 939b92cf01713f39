import { timelineFeedMigration, type TimelineFeedTable } from '../../platform/timeline-feed.migration';

/** Contacts' timeline events are its interactions: each write bumps the customer's version for the timeline feed. */
const TABLES: TimelineFeedTable[] = [{ table: 'interactions', customer: 'customer_id' }];

export const TimelineFeed1765100000000 = timelineFeedMigration('TimelineFeed1765100000000', TABLES);
