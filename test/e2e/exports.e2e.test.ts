import { parse as parseCsv } from 'csv-parse/sync';
import { createConnection } from 'mysql2/promise';
import { seedAll } from '../../scripts/database';
import { ApiKeyStore } from '../../gateway/api-keys';
import { EXPORTS } from '../../gateway/exports';
import { FixedClock, SUBGRAPH_NAMES, type RunningServer } from '../../subgraphs/platform';
import { bearer } from '../support/auth';
import { Stack } from '../support/stack';

const TODAY = '2026-11-22';
const stack = new Stack(new FixedClock(new Date(`${TODAY}T10:00:00.000Z`)));
let gateway: RunningServer;
let base: string;
let analystKey: string;

beforeAll(async () => {
  await stack.start();
  // The demo seed (1,000 customers and their invoices, interactions, claims) straight into the stack's databases.
  await seedAll({ size: 'demo', today: TODAY, reset: false, log: () => undefined }, stack.databaseEnv(SUBGRAPH_NAMES));
  // Pages of 300: the 1,000 customers take four operations.
  gateway = await stack.startGateway({
    subgraphTimeoutMs: 10_000,
    exportPageSize: 300,
  });
  base = gateway.url.replace('/graphql', '');
  analystKey = new ApiKeyStore(stack.auth.apiKeysFile).create('powerbi', ['analyst']).key;
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
  await stack.stop();
});

async function get(path: string, headers: Record<string, string> = stack.adminHeaders) {
  const response = await fetch(`${base}${path}`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function gql(query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...stack.adminHeaders },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const csv = (text: string) => parseCsv(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];

/** The rows of one statement on the customers subgraph's own database. */
async function customersSql<T>(sql: string): Promise<T[]> {
  const db = stack.database('customers');
  const connection = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database });
  try {
    const [rows] = await connection.query(sql);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

async function customerRows(where = ''): Promise<number> {
  return Number((await customersSql<{ n: unknown }>(`SELECT COUNT(*) AS n FROM customers ${where}`))[0]!.n);
}

describe('BI exports', () => {
  it('lists every export with its columns and parameters at GET /export, to authenticated callers only', async () => {
    expect((await get('/export', {})).status).toBe(401);
    const index = JSON.parse((await get('/export')).text) as { exports: { name: string; columns: { name: string; type: string }[]; parameters: unknown[] }[] };
    expect(index.exports.map((e) => e.name)).toEqual(EXPORTS.map((e) => e.name));
    expect(index.exports.map((e) => e.name)).toEqual(
      expect.arrayContaining(['customers', 'interaction-stats', 'receivables-aging', 'sla-report', 'claim-stats', 'segment-report', 'key-account-revenue']),
    );
    for (const e of index.exports) expect(e.columns.length).toBeGreaterThan(0);
  });

  it('streams every customer as RFC 4180 CSV through several pages, with the figures of the same GraphQL query', async () => {
    const answer = await get('/export/customers.csv');
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/csv; charset=utf-8/);
    expect(answer.text.split('\r\n')[0]).toBe(EXPORTS[0]!.columns.map((c) => c.name).join(','));
    const rows = csv(answer.text);
    expect(rows).toHaveLength(await customerRows());
    const page = await gql(`{ customers(first: 1000) { nodes { customerNumber displayName segment status kind customerSince openBalance { amount }
      overdueBalance { amount } dunningLevel lifetimeValue { amount } openComplaintCount openClaimCount lastContactAt healthScore keyAccount { name } } } }`);
    const byNumber = new Map(rows.map((r) => [r.customerNumber, r]));
    for (const c of page.customers.nodes) {
      const row = byNumber.get(c.customerNumber)!;
      expect(row).toMatchObject({
        displayName: c.displayName,
        segment: c.segment,
        status: c.status,
        kind: c.kind,
        customerSince: c.customerSince,
        lastContactAt: c.lastContactAt ?? '',
        openBalance: c.openBalance?.amount ?? '',
        overdueBalance: c.overdueBalance?.amount ?? '',
        dunningLevel: String(c.dunningLevel ?? ''),
        lifetimeValue: c.lifetimeValue?.amount ?? '',
        openComplaintCount: String(c.openComplaintCount ?? ''),
        openClaimCount: String(c.openClaimCount ?? ''),
        healthScore: String(c.healthScore ?? ''),
        keyAccount: c.keyAccount?.name ?? '',
      });
    }
  });

  it('reads pages ahead, yet lists every customer once and in order while others are being added', async () => {
    const numbers = async () => (await customersSql<{ n: string }>('SELECT customer_number AS n FROM customers')).map((r) => r.n);
    const before = await numbers();
    const create = (i: number) =>
      gql(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
        input: { kind: 'ORGANIZATION', companyName: `Export Race ${i} GmbH`, segment: 'C' },
      });
    const [answer] = await Promise.all([get('/export/customers.csv'), ...Array.from({ length: 12 }, (_, i) => create(i))]);
    expect(answer.status).toBe(200);
    const exported = csv(answer.text).map((r) => r.customerNumber!);
    expect(new Set(exported).size).toBe(exported.length);
    expect(exported).toEqual([...exported].sort());
    expect(exported).toEqual(expect.arrayContaining(before));
    const after = new Set(await numbers());
    expect(after.size).toBe(before.length + 12);
    expect(exported.filter((n) => !after.has(n))).toEqual([]);
  });

  it('filters by segment and status, counted against the raw table', async () => {
    const rows = csv((await get('/export/customers.csv?segment=A,B&status=ACTIVE')).text);
    expect(rows.length).toBe(await customerRows("WHERE segment IN ('A', 'B') AND status = 'ACTIVE'"));
    expect(rows.every((r) => ['A', 'B'].includes(r.segment!) && r.status === 'ACTIVE')).toBe(true);
  });

  it('serves the same rows as JSON and NDJSON, numbers as numbers and decimals as strings', async () => {
    const fromCsv = csv((await get('/export/segment-report.csv')).text);
    const json = JSON.parse((await get('/export/segment-report.json')).text) as Record<string, unknown>[];
    const ndjson = (await get('/export/segment-report.ndjson')).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(ndjson).toEqual(json);
    expect(json.map((r) => r.segment)).toEqual(['A', 'B', 'C']);
    expect(
      json.map((r) => ({
        ...r,
        customerCount: String(r.customerCount),
        activeCustomerCount: String(r.activeCustomerCount),
        openComplaintCount: String(r.openComplaintCount),
        recentInteractionCount: String(r.recentInteractionCount),
      })),
    ).toEqual(fromCsv);
    expect(typeof json[0]!.customerCount).toBe('number');
    expect(typeof json[0]!.openBalance).toBe('string');
  });

  it('answers a report with the rows of the same GraphQL query', async () => {
    const rows = JSON.parse((await get('/export/claim-stats.json?from=2026-01-01&to=2026-11-22&groupBy=TYPE')).text) as Record<string, unknown>[];
    const data = await gql(
      `{ claimStats(from: "2026-01-01", to: "2026-11-22", groupBy: TYPE) { key count claimedTotal { amount } settledTotal { amount } approvalRate } }`,
    );
    expect(rows).toEqual(
      data.claimStats.map((s: any) => ({
        key: s.key,
        count: s.count,
        claimedTotal: s.claimedTotal.amount,
        settledTotal: s.settledTotal.amount,
        approvalRate: s.approvalRate,
      })),
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it('answers every other export with the rows of the same GraphQL query', async () => {
    const cases: [string, string, (d: any) => unknown[]][] = [
      [
        '/export/interaction-stats.json?from=2026-01-01&to=2026-11-22&groupBy=CHANNEL',
        `{ interactionStats(from: "2026-01-01", to: "2026-11-22", groupBy: CHANNEL) { key count firstContactResolutionRate averageSatisfaction } }`,
        (d) => d.interactionStats,
      ],
      [
        '/export/sla-report.json?from=2026-01-01&to=2026-11-22&groupBy=PRIORITY',
        `{ slaReport(from: "2026-01-01", to: "2026-11-22", groupBy: PRIORITY) { key complaintCount firstResponseComplianceRate resolutionComplianceRate averageResolutionHours } }`,
        (d) => d.slaReport,
      ],
      [
        '/export/receivables-aging.json',
        `{ receivables { aging { label minDaysOverdue maxDaysOverdue invoiceCount amount { amount } } } }`,
        (d) => d.receivables.aging.map((b: any) => ({ ...b, amount: b.amount.amount })),
      ],
      [
        '/export/key-account-revenue.json',
        `{ keyAccounts(first: 1000) { nodes { name tier manager { name } since annualRevenueTarget { amount } revenueYearToDate { amount } targetAttainment } } }`,
        (d) =>
          d.keyAccounts.nodes.map((k: any) => ({
            ...k,
            manager: k.manager.name,
            annualRevenueTarget: k.annualRevenueTarget.amount,
            revenueYearToDate: k.revenueYearToDate.amount,
          })),
      ],
    ];
    for (const [path, query, rowsOf] of cases) {
      const exported = JSON.parse((await get(path)).text) as unknown[];
      const expected = rowsOf(await gql(query));
      expect({ path, rows: exported }).toEqual({ path, rows: expected });
      expect(exported.length).toBeGreaterThan(0);
    }
  });

  it('refuses bad parameters with 400 BAD_USER_INPUT naming the parameter, never echoing its value', async () => {
    const cases: [string, string][] = [
      ['/export/customers.csv?segmnt=A', 'segmnt'],
      ['/export/customers.csv?segment=Z9', 'segment'],
      ['/export/interaction-stats.csv?to=2026-01-01&groupBy=CHANNEL', 'from'],
      ['/export/interaction-stats.csv?from=2026-02-30&to=2026-03-01&groupBy=CHANNEL', 'from'],
      ['/export/interaction-stats.csv?from=2026-01-01&to=2026-03-01&groupBy=WEEKDAY', 'groupBy'],
      ['/export/interaction-stats.csv?from=2010-01-01&to=2026-03-01&groupBy=CHANNEL', 'to'],
    ];
    for (const [path, field] of cases) {
      const answer = await get(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      const error = (JSON.parse(answer.text) as { errors: { message: string; extensions: { code: string; field?: string } }[] }).errors[0]!;
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(error.message).not.toMatch(/Z9|WEEKDAY|2026-02-30/);
    }
    expect((await get('/export/nope.csv')).status).toBe(404);
    expect((await get('/export/customers.xlsx')).status).toBe(404);
  });

  it('shows an analyst key no personal data: names are pseudonyms', async () => {
    const rows = csv((await get('/export/customers.csv', { 'x-api-key': analystKey })).text);
    expect(rows).toHaveLength(await customerRows());
    for (const row of rows) expect(row.displayName).toBe(row.customerNumber);
  });

  it('quotes per RFC 4180 and defuses cells a spreadsheet would run as a formula', async () => {
    const name = '=HYPERLINK("http://x"),"quoted"';
    await gql(`mutation($n: String!) { createCustomer(input: { kind: ORGANIZATION, companyName: $n, segment: C }) { id } }`, { n: name });
    const answer = await get('/export/customers.csv?segment=C');
    expect(answer.text).toContain(`"'=HYPERLINK(""http://x""),""quoted"""`);
    const row = csv(answer.text).find((r) => r.displayName?.includes('HYPERLINK'));
    expect(row?.displayName).toBe(`'${name}`);
  });

  it('records each export in the audit trail', async () => {
    await get('/export/receivables-aging.csv', { 'x-api-key': analystKey });
    let events: { action: string; entityType: string; entityId: string; outcome: string }[] = [];
    for (let i = 0; i < 50 && !events.some((e) => e.entityId === 'receivables-aging.csv'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      events = (await gql(`{ auditEvents(actor: "apikey:powerbi", first: 50) { nodes { action entityType entityId outcome } } }`)).auditEvents.nodes;
    }
    expect(events).toContainEqual({ action: 'EXPORT', entityType: 'Export', entityId: 'receivables-aging.csv', outcome: 'OK' });
  });

  describe('customerColumns, the page as columns the customers export reads', () => {
    const FIELDS = `customerNumber displayName kind segment status customerSince openBalance overdueBalance dunningLevel lifetimeValue
      openComplaintCount openClaimCount lastContactAt recentSatisfaction healthScore keyAccount { name }`;
    const COLUMNS = `query($first: Int, $after: String, $filter: CustomerFilter) { customerColumns(first: $first, after: $after, filter: $filter) {
      pageInfo { hasNextPage endCursor } columns { ids currency ${FIELDS} } } }`;
    const NODES = `query($first: Int, $after: String, $filter: CustomerFilter) { customers(first: $first, after: $after, filter: $filter) {
      pageInfo { hasNextPage endCursor } nodes { id ${FIELDS.replace(/(Balance|Value)\b/g, '$1 { amount currency }')} } } }`;

    it('answers the page of customers with the same arguments, entry i of each column being customer i', async () => {
      const first = await gql(NODES, { first: 150, filter: { segments: ['B', 'C'] } });
      const variables = { first: 200, after: first.customers.pageInfo.endCursor, filter: { segments: ['B', 'C'] } };
      const [{ customers }, { customerColumns }] = await Promise.all([gql(NODES, variables), gql(COLUMNS, variables)]);
      expect(customers.nodes.length).toBe(200);
      expect(customerColumns.pageInfo).toEqual(customers.pageInfo);
      const { ids, currency, ...columns } = customerColumns.columns;
      expect(ids).toEqual(customers.nodes.map((c: { id: string }) => c.id));
      for (const [name, column] of Object.entries(columns as Record<string, unknown[]>)) {
        const expected = customers.nodes.map((c: Record<string, any>) =>
          c[name] && typeof c[name] === 'object' && 'amount' in c[name] ? (expect(c[name].currency).toBe(currency), c[name].amount) : c[name],
        );
        expect([name, column]).toEqual([name, expected]);
      }
    });

    it('answers a page that matches nobody with empty columns from every subgraph', async () => {
      const { customerColumns } = await gql(COLUMNS, { first: 100, filter: { search: 'nobody-is-called-this' } });
      expect(customerColumns.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
      const { currency, ...columns } = customerColumns.columns;
      expect(typeof currency).toBe('string');
      expect(Object.keys(columns).sort()).toEqual(['ids', ...FIELDS.replace('{ name }', '').trim().split(/\s+/)].sort());
      for (const [name, column] of Object.entries(columns)) expect([name, column]).toEqual([name, []]);
    });

    it('takes pages of up to 5000 and refuses larger ones with BAD_USER_INPUT', async () => {
      const all = await gql(`{ customerColumns(first: 5000) { pageInfo { hasNextPage } columns { ids } } }`);
      expect(all.customerColumns.columns.ids).toHaveLength(await customerRows());
      expect(all.customerColumns.pageInfo.hasNextPage).toBe(false);
      const refused = await stack.gql(`{ customerColumns(first: 5001) { columns { ids } } }`);
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('shows an analyst pseudonyms in the name column, and lists the column as withheld', async () => {
      const answer = await stack.gql(
        `{ customerColumns(first: 50) { columns { customerNumber displayName } } }`,
        undefined,
        await bearer(['analyst'], 'e2e-analyst'),
      );
      const { customerNumber, displayName } = answer.data!.customerColumns.columns;
      expect(customerNumber).toHaveLength(50);
      expect(displayName).toEqual(customerNumber);
      expect(answer.extensions?.withheldFields).toEqual(['CustomerColumns.displayName']);
    });
  });
});
