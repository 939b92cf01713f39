import { MAX_COLUMNS_PAGE_SIZE } from '../subgraphs/platform/pagination';
import type { ExportRow } from './export-writers';

/**
 * The BI exports (README, "BI exports"): stored operations a BI tool pulls
 * as a table with a GET. Each runs through the gateway's own GraphQL
 * pipeline, so access rules (analysts see no personal data), cost and
 * limits apply as to any operation; each operation is in the trusted
 * documents manifest, so a trusted-documents-only key may run it.
 */
export interface ExportParameter {
  name: string;
  /** The GraphQL input type the value is checked against, e.g. "Date!" or "[CustomerSegment!]" (a list: comma-separated). */
  type: string;
  description: string;
}

export type ColumnType = 'string' | 'integer' | 'decimal' | 'number' | 'boolean' | 'date' | 'datetime';

export interface ExportColumn {
  name: string;
  type: ColumnType;
  description: string;
  /**
   * Where a row's value is in the operation's answer, when not at the
   * column's own name: a dotted path such as `keyAccount.name`. A decimal
   * column reads a Money: `<name>.amount`. Not part of the index.
   */
  path?: string;
}

export interface ExportDefinition {
  name: string;
  description: string;
  parameters: ExportParameter[];
  columns: ExportColumn[];
  /** The operation; a paged export's takes `$first` and `$after`. */
  query: string;
  /** For a paged export: the largest `$first` its connection takes; default MAX_PAGE_SIZE (1000). */
  maxPageSize?: number;
  /** Query parameters (checked) → the operation's variables. */
  variables: (params: Record<string, unknown>) => Record<string, unknown>;
  /** The rows of one answer, already named as the columns. */
  rows: (data: Record<string, unknown>) => ExportRow[];
  /** For a paged export: where the next page starts, or null after the last. */
  next?: (data: Record<string, unknown>) => string | null;
  /**
   * For a paged export: the same connection with the same variables, its
   * pageInfo only. Where a page ends costs one subgraph and no figures, so
   * the next pages can be read while this one is (export-pages.ts).
   */
  cursors?: string;
}

type Json = Record<string, unknown> | null | undefined;

/** One answer object as a row: each column's value read at its path (ExportColumn.path), null where the answer has none. */
function rowOf(columns: readonly ExportColumn[]): (node: Record<string, unknown>) => ExportRow {
  const paths = columns.map((c) => [c.name, (c.path ?? (c.type === 'decimal' ? `${c.name}.amount` : c.name)).split('.')] as const);
  return (node) => {
    const row: ExportRow = {};
    for (const [name, path] of paths) {
      let value: unknown = node;
      for (const step of path) value = (value as Json)?.[step];
      row[name] = (value as ExportRow[string] | undefined) ?? null;
    }
    return row;
  };
}

/** A list of answer objects at `root`, one row each. */
function listAt(root: string[], columns: readonly ExportColumn[]): ExportDefinition['rows'] {
  const row = rowOf(columns);
  return (data) => {
    let list: unknown = data;
    for (const step of root) list = (list as Json)?.[step];
    return (list as Record<string, unknown>[]).map(row);
  };
}

/** Where the page after a paged answer at `root` starts: after its endCursor, or null after the last. */
function nextAfter(root: string): NonNullable<ExportDefinition['next']> {
  return (data) => {
    const { pageInfo } = data[root] as { pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    return pageInfo.hasNextPage ? pageInfo.endCursor : null;
  };
}

/** A paged export reads a connection at the root: its rows are the nodes, the next page starts after endCursor. */
function connection(root: string, columns: readonly ExportColumn[]): Pick<ExportDefinition, 'rows' | 'next'> {
  return { rows: listAt([root, 'nodes'], columns), next: nextAfter(root) };
}

/**
 * A paged export that reads a page as columns (CustomerColumns): row i holds
 * entry i of every column. A column's path starts at the column list; a
 * decimal column is a plain Decimal there.
 */
function columnsPage(root: string, columns: readonly ExportColumn[]): Pick<ExportDefinition, 'rows' | 'next'> {
  const paths = columns.map((c) => [c.name, ...(c.path ?? c.name).split('.')] as const);
  return {
    rows: (data) => {
      const lists = (data[root] as { columns: Record<string, unknown[] | null> }).columns;
      const picked = paths.map(([name, column, ...rest]) => [name, lists[column!] ?? [], rest] as const);
      return (lists.ids ?? []).map((_, i) => {
        const row: ExportRow = {};
        for (const [name, list, rest] of picked) {
          let value: unknown = list[i];
          for (const step of rest) value = (value as Json)?.[step];
          row[name] = (value as ExportRow[string] | undefined) ?? null;
        }
        return row;
      });
    },
    next: nextAfter(root),
  };
}

const RANGE: ExportParameter[] = [
  { name: 'from', type: 'Date!', description: 'first day, YYYY-MM-DD (UTC)' },
  { name: 'to', type: 'Date!', description: 'last day, YYYY-MM-DD (UTC); at most five years after from' },
];

function report(name: string, description: string, root: string, dimension: string, columns: ExportColumn[], selection: string): ExportDefinition {
  const operation = name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
  return {
    name,
    description,
    parameters: [...RANGE, { name: 'groupBy', type: `${dimension}!`, description: `the grouping: one of ${dimension}'s values` }],
    columns,
    query: `query Export${operation}($from: Date!, $to: Date!, $groupBy: ${dimension}!) { ${root}(from: $from, to: $to, groupBy: $groupBy) { ${selection} } }`,
    variables: (p) => ({ from: p.from, to: p.to, groupBy: p.groupBy }),
    rows: listAt([root], columns),
  };
}

const CUSTOMER_COLUMNS: ExportColumn[] = [
  { name: 'customerNumber', type: 'string', description: 'the customer number' },
  { name: 'displayName', type: 'string', description: 'name; the customer number for callers without access to personal data' },
  { name: 'segment', type: 'string', description: 'ABC value segment' },
  { name: 'status', type: 'string', description: 'customer status' },
  { name: 'kind', type: 'string', description: 'PERSON or ORGANIZATION' },
  { name: 'customerSince', type: 'date', description: 'first day as a customer' },
  { name: 'openBalance', type: 'decimal', description: 'sum of open invoice amounts' },
  { name: 'overdueBalance', type: 'decimal', description: 'sum of open amounts past due' },
  { name: 'dunningLevel', type: 'integer', description: 'highest dunning level among open invoices; 0 when none' },
  { name: 'lifetimeValue', type: 'decimal', description: 'customer lifetime value (CLV)' },
  { name: 'openComplaintCount', type: 'integer', description: 'complaints not yet resolved' },
  { name: 'openClaimCount', type: 'integer', description: 'claims not yet settled or closed' },
  { name: 'lastContactAt', type: 'datetime', description: 'latest interaction on any channel' },
  { name: 'keyAccount', type: 'string', description: 'name of the key account the customer belongs to, if any', path: 'keyAccount.name' },
  { name: 'healthScore', type: 'integer', description: 'health score, 0-100' },
];

const CUSTOMERS: ExportDefinition = {
  name: 'customers',
  description: 'The 360 summary of each customer, ordered by customer number, paged through the graph and streamed.',
  parameters: [
    { name: 'segment', type: '[CustomerSegment!]', description: 'only these segments, comma-separated (A,B,C); default all' },
    { name: 'status', type: '[CustomerStatus!]', description: 'only these statuses, comma-separated; default all' },
  ],
  columns: CUSTOMER_COLUMNS,
  // The page as columns: one fetch per subgraph, and the gateway merges a few lists per page, not a thousand objects.
  query: `query ExportCustomers($first: Int!, $after: String, $filter: CustomerFilter) {
  customerColumns(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    columns { ids customerNumber displayName segment status kind customerSince openBalance overdueBalance dunningLevel
      lifetimeValue openComplaintCount openClaimCount lastContactAt keyAccount { name } healthScore } } }`,
  cursors: `query ExportCustomersCursors($first: Int!, $after: String, $filter: CustomerFilter) {
  customerColumns(first: $first, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } } }`,
  maxPageSize: MAX_COLUMNS_PAGE_SIZE,
  variables: (p) => ({ filter: { segments: p.segment ?? null, statuses: p.status ?? null } }),
  ...columnsPage('customerColumns', CUSTOMER_COLUMNS),
};

const KEY_ACCOUNT_COLUMNS: ExportColumn[] = [
  { name: 'name', type: 'string', description: 'key account' },
  { name: 'tier', type: 'string', description: 'tier' },
  { name: 'manager', type: 'string', description: 'the dedicated key account manager', path: 'manager.name' },
  { name: 'since', type: 'date', description: 'key account since' },
  { name: 'annualRevenueTarget', type: 'decimal', description: 'revenue target for the year' },
  { name: 'revenueYearToDate', type: 'decimal', description: 'revenue invoiced this year by the member customers' },
  { name: 'targetAttainment', type: 'number', description: 'revenueYearToDate / annualRevenueTarget' },
];

const KEY_ACCOUNT_REVENUE: ExportDefinition = {
  name: 'key-account-revenue',
  description: 'Each key account with its manager, revenue this year and target attainment.',
  parameters: [{ name: 'tier', type: '[KeyAccountTier!]', description: 'only these tiers, comma-separated; default all' }],
  columns: KEY_ACCOUNT_COLUMNS,
  query: `query ExportKeyAccountRevenue($first: Int!, $after: String, $tiers: [KeyAccountTier!]) {
  keyAccounts(first: $first, after: $after, tiers: $tiers) {
    pageInfo { hasNextPage endCursor }
    nodes { name tier manager { name } since annualRevenueTarget { amount } revenueYearToDate { amount } targetAttainment } } }`,
  variables: (p) => ({ tiers: p.tier ?? null }),
  ...connection('keyAccounts', KEY_ACCOUNT_COLUMNS),
};

const RECEIVABLES_COLUMNS: ExportColumn[] = [
  { name: 'label', type: 'string', description: 'bucket: current, 1-30, 31-60, 61-90, 90+' },
  { name: 'minDaysOverdue', type: 'integer', description: 'lowest days overdue in the bucket' },
  { name: 'maxDaysOverdue', type: 'integer', description: 'highest days overdue in the bucket; empty for the last' },
  { name: 'invoiceCount', type: 'integer', description: 'open invoices' },
  { name: 'amount', type: 'decimal', description: 'their open amount' },
];

const SEGMENT_COLUMNS: ExportColumn[] = [
  { name: 'segment', type: 'string', description: 'A, B or C' },
  { name: 'customerCount', type: 'integer', description: 'customers' },
  { name: 'activeCustomerCount', type: 'integer', description: 'active customers' },
  { name: 'openBalance', type: 'decimal', description: 'open invoice amounts' },
  { name: 'overdueBalance', type: 'decimal', description: 'open amounts past due' },
  { name: 'openComplaintCount', type: 'integer', description: 'open complaints' },
  { name: 'recentInteractionCount', type: 'integer', description: 'interactions in the last 90 days' },
];

export const EXPORTS: ExportDefinition[] = [
  CUSTOMERS,
  report(
    'interaction-stats',
    'Interactions in [from, to], grouped.',
    'interactionStats',
    'InteractionDimension',
    [
      { name: 'key', type: 'string', description: 'the group: a channel, service area, competence level or month (YYYY-MM)' },
      { name: 'count', type: 'integer', description: 'interactions' },
      { name: 'firstContactResolutionRate', type: 'number', description: 'share (0-1) resolved on first contact' },
      { name: 'averageSatisfaction', type: 'number', description: 'mean satisfaction rating, where rated' },
    ],
    'key count firstContactResolutionRate averageSatisfaction',
  ),
  {
    name: 'receivables-aging',
    description: 'Open invoices today, partitioned by days overdue.',
    parameters: [],
    columns: RECEIVABLES_COLUMNS,
    query: `query ExportReceivablesAging { receivables { aging { label minDaysOverdue maxDaysOverdue invoiceCount amount { amount } } } }`,
    variables: () => ({}),
    rows: listAt(['receivables', 'aging'], RECEIVABLES_COLUMNS),
  },
  report(
    'sla-report',
    'Complaints received in [from, to], grouped, against their SLA.',
    'slaReport',
    'SlaDimension',
    [
      { name: 'key', type: 'string', description: 'the group' },
      { name: 'complaintCount', type: 'integer', description: 'complaints' },
      { name: 'firstResponseComplianceRate', type: 'number', description: 'share (0-1) answered within the first-response SLA' },
      { name: 'resolutionComplianceRate', type: 'number', description: 'share (0-1) resolved within the resolution SLA' },
      { name: 'averageResolutionHours', type: 'number', description: 'mean hours to resolution, where resolved' },
    ],
    'key complaintCount firstResponseComplianceRate resolutionComplianceRate averageResolutionHours',
  ),
  report(
    'claim-stats',
    'Claims reported in [from, to], grouped.',
    'claimStats',
    'ClaimDimension',
    [
      { name: 'key', type: 'string', description: 'the group' },
      { name: 'count', type: 'integer', description: 'claims' },
      { name: 'claimedTotal', type: 'decimal', description: 'amount claimed' },
      { name: 'settledTotal', type: 'decimal', description: 'amount settled' },
      { name: 'approvalRate', type: 'number', description: 'share (0-1) of decided claims approved' },
    ],
    'key count claimedTotal { amount } settledTotal { amount } approvalRate',
  ),
  {
    name: 'segment-report',
    description: 'One row per ABC segment with figures from every subgraph.',
    parameters: [],
    columns: SEGMENT_COLUMNS,
    query: `query ExportSegmentReport { segmentReport { segment customerCount activeCustomerCount openBalance { amount } overdueBalance { amount } openComplaintCount recentInteractionCount } }`,
    variables: () => ({}),
    rows: listAt(['segmentReport'], SEGMENT_COLUMNS),
  },
  KEY_ACCOUNT_REVENUE,
];
