/** The benchmark's operations: each is one GraphQL request through a gateway. */

const CUSTOMER_360 = `id customerNumber displayName kind segment status customerSince email phone
  addresses { type city country }
  interactions(first: 5) { nodes { channel occurredAt subject } }
  contactPersons { name role primary }
  invoices(first: 10, statuses: [OPEN, PARTIALLY_PAID, IN_COLLECTION]) { nodes { invoiceNumber dueDate openAmount { amount } daysOverdue dunningLevel } }
  openBalance { amount } overdueBalance { amount } dunningLevel
  complaints(first: 5, statuses: [OPEN, IN_PROGRESS, ESCALATED]) { nodes { category priority status sla { firstResponseBreached } } }
  claims(first: 5, statuses: [REPORTED, IN_REVIEW, APPROVED]) { nodes { claimNumber type status } }
  openClaimCount openComplaintCount
  keyAccount { name tier manager { name } }
  healthScore`;

export const Q1 = `query Q1($id: ID!) { customer(id: $id) { ${CUSTOMER_360} } }`;

export const Q2 = `query Q2($first: Int!, $segment: CustomerSegment!, $since: Date) {
  customers(first: $first, filter: { segments: [$segment], customerSinceFrom: $since }) { nodes { ${CUSTOMER_360} } } }`;

export const Q3 = `query Q3($from: Date!, $to: Date!) {
  interactionStats(from: $from, to: $to, groupBy: MONTH) { key count firstContactResolutionRate averageSatisfaction }
  receivables { openTotal { amount } overdueTotal { amount } aging { label invoiceCount amount { amount } } byDunningLevel { level invoiceCount } daysSalesOutstanding }
  slaReport(from: $from, to: $to, groupBy: PRIORITY) { key complaintCount firstResponseComplianceRate resolutionComplianceRate averageResolutionHours } }`;

export const Q4 = `query Q4($after: String) { customers(first: 1000, after: $after) {
  nodes { id openBalance { amount } overdueBalance { amount } dunningLevel openComplaintCount lastContactAt keyAccount { name } }
  pageInfo { hasNextPage endCursor } } }`;

/**
 * Q5: the cross-domain segment report with every field, from all four
 * subgraphs that own a figure. Each peer joins its own replica of the
 * segments, so the gateway carries keys and figures only, however many
 * customers a segment has.
 */
export const Q5 = `query Q5 { segmentReport { segment customerCount activeCustomerCount
  openBalance { amount currency } overdueBalance { amount currency } openComplaintCount recentInteractionCount } }`;

/** How the load process varies the variables of each request. */
export type VariableKind = 'customerId' | 'segmentPage100' | 'segmentPage10' | 'segmentPage100Fixed' | 'yearWindow' | 'none';

/** Concurrency levels a scenario is measured at. */
export type Level = 'c1' | 'c8' | 'c32';

export interface LoadScenario {
  name: string;
  query: string;
  variables: VariableKind;
  /** Default c=1 and c=32. */
  levels?: Level[];
}

export const LOAD_SCENARIOS: LoadScenario[] = [
  { name: 'Q1 customer 360', query: Q1, variables: 'customerId' },
  { name: 'Q2 page of 100', query: Q2, variables: 'segmentPage100' },
  { name: 'Q3 BI', query: Q3, variables: 'yearWindow' },
];

/** Q2 with 10 customers: the same SQL statements per operation as with 100 shows batching works. */
export const Q2_SMALL: LoadScenario = { name: 'Q2 page of 10', query: Q2, variables: 'segmentPage10', levels: ['c1'] };

/** Q5 at c=1 and c=8: a BI tool's refresh, a few of them at once (16 concurrent ones took the old design down). */
export const SEGMENT_REPORT: LoadScenario = { name: 'Q5 segment report', query: Q5, variables: 'none', levels: ['c1', 'c8'] };

/** Connections per level. */
export const CONNECTIONS: Record<Level, number> = { c1: 1, c8: 8, c32: 32 };

const SEGMENTS = ['A', 'B', 'C'];

/** Fresh random variables for one request. */
export function variablesFor(kind: VariableKind, ids: string[], today: string, random: () => number = Math.random): Record<string, unknown> {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  switch (kind) {
    case 'customerId':
      return { id: pick(ids) };
    case 'segmentPage100':
    case 'segmentPage10':
      return { first: kind === 'segmentPage100' ? 100 : 10, segment: pick(SEGMENTS), since: daysAgo(Math.floor(random() * 2500)) };
    case 'segmentPage100Fixed':
      // Tier A replays recorded subgraph answers: every request must be the same.
      return { first: 100, segment: 'A', since: daysAgo(2000) };
    case 'yearWindow': {
      const end = Math.floor(random() * 30);
      return { from: daysAgo(end + 365), to: daysAgo(end) };
    }
    case 'none':
      return {};
  }
}
