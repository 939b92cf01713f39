import { eventKey, type TimelineSource } from '../platform/timeline';

/**
 * Key-account membership: joins of current members (their member row),
 * and joins and leaves of memberships that ended (the history row their
 * removal wrote). The account's name stays out: it may be a person's.
 */
export const keyAccountsTimeline: TimelineSource = {
  branches: (ds) => [
    {
      kind: 'KEY_ACCOUNT_JOINED',
      from: 'key_account_members m JOIN key_accounts a ON a.id = m.key_account_id',
      customer: 'm.customer_id',
      at: 'm.added_at',
      key: eventKey('kam', 'm.key_account_id', ds),
      entityType: 'KeyAccount',
      entityId: 'm.key_account_id',
      ref: 'a.tier',
    },
    {
      kind: 'KEY_ACCOUNT_JOINED',
      from: 'key_account_member_history h JOIN key_accounts a ON a.id = h.key_account_id',
      customer: 'h.customer_id',
      at: 'h.joined_at',
      key: eventKey('kaj', 'h.id', ds),
      entityType: 'KeyAccount',
      entityId: 'h.key_account_id',
      ref: 'a.tier',
    },
    {
      kind: 'KEY_ACCOUNT_LEFT',
      from: 'key_account_member_history h JOIN key_accounts a ON a.id = h.key_account_id',
      customer: 'h.customer_id',
      at: 'h.left_at',
      key: eventKey('kal', 'h.id', ds),
      entityType: 'KeyAccount',
      entityId: 'h.key_account_id',
      ref: 'a.tier',
    },
  ],
  summarize: (row) => (row.kind === 'KEY_ACCOUNT_LEFT' ? `Left a ${row.ref} key account` : `Joined a ${row.ref} key account`),
};
