import { Q1, Q2, Q3, Q4, Q5 } from '../bench/scenarios';
import { EXPORTS } from '../gateway/exports';

/**
 * The project's own operations, registered as trusted documents
 * (schema/trusted-documents.json, written by `npm run compose`): the
 * benchmark scenarios and the BI exports a reporting tool runs. A BI tool
 * whose key is trusted-documents-only sends their ids, never their text.
 */
export const TRUSTED_OPERATIONS: { name: string; type: 'query'; body: string }[] = [
  { name: 'Q1', body: Q1 },
  { name: 'Q2', body: Q2 },
  { name: 'Q3', body: Q3 },
  { name: 'Q4', body: Q4 },
  { name: 'Q5', body: Q5 },
  {
    name: 'BiClaimStats',
    body: `query BiClaimStats($from: Date!, $to: Date!, $groupBy: ClaimDimension!) {
  claimStats(from: $from, to: $to, groupBy: $groupBy) { key count claimedTotal { amount currency } settledTotal { amount currency } approvalRate } }`,
  },
  {
    name: 'BiSlaReport',
    body: `query BiSlaReport($from: Date!, $to: Date!, $groupBy: SlaDimension!) {
  slaReport(from: $from, to: $to, groupBy: $groupBy) { key complaintCount firstResponseComplianceRate resolutionComplianceRate averageResolutionHours } }`,
  },
  {
    name: 'BiInteractionStats',
    body: `query BiInteractionStats($from: Date!, $to: Date!, $groupBy: InteractionDimension!) {
  interactionStats(from: $from, to: $to, groupBy: $groupBy) { key count firstContactResolutionRate averageSatisfaction } }`,
  },
  {
    name: 'BiReceivables',
    body: `query BiReceivables { receivables { asOf openTotal { amount currency } overdueTotal { amount currency } daysSalesOutstanding
  aging { label invoiceCount amount { amount currency } } byDunningLevel { level invoiceCount } } }`,
  },
  {
    name: 'BiSegmentReport',
    body: `query BiSegmentReport { segmentReport { segment customerCount activeCustomerCount openBalance { amount currency }
  overdueBalance { amount currency } openComplaintCount recentInteractionCount } }`,
  },
  // The BI exports' operations (GET /export/<name>.csv): a trusted-documents-only key may pull them.
  ...EXPORTS.map((e) => ({ name: `export/${e.name}`, body: e.query })),
  ...EXPORTS.flatMap((e) => (e.cursors ? [{ name: `export/${e.name}/cursors`, body: e.cursors }] : [])),
].map((o) => ({ ...o, type: 'query' as const }));
