import { claimsHarness } from '../../test/support/claims';
import { idsInOrder, readAsRangeAndList } from '../../test/support/id-range';

const COLUMNS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CustomerColumns { ids openComplaintCount openClaimCount } } }`;
const REPORT = `mutation($input: ReportClaimInput!) { reportClaim(input: $input) { id } }`;
const FILE = `mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { id } }`;

let t: Awaited<ReturnType<typeof claimsHarness>>;

beforeAll(async () => {
  t = await claimsHarness();
});
afterAll(async () => {
  await t?.h.close();
});

describe('CustomerColumns', () => {
  it('reads a page its customers subgraph calls dense as one range, and answers exactly as from the IN list', async () => {
    // 210 customers in creation order; the page leaves out two of them, which have open claims and complaints in the range.
    const ids = idsInOrder(210);
    for (const id of ids) t.directory.add(id, 'PERSON');
    for (const i of [3, 5, 5, 209]) await t.ok(REPORT, { input: { customerId: ids[i], type: 'DAMAGE', description: 'Water damage' } });
    for (const i of [3, 100, 209, 209]) {
      await t.ok(FILE, { input: { customerId: ids[i], channel: 'EMAIL', category: 'Billing error', priority: 'LOW', description: 'Wrong amount' } });
    }
    const onPage = ids.filter((_, i) => i !== 5 && i !== 100);
    const columns = await readAsRangeAndList(
      t.h,
      'claims',
      async (idRangeDense) => (await t.ok(COLUMNS, { r: [{ __typename: 'CustomerColumns', ids: [...onPage], idRangeDense }] }))._entities[0],
    );
    expect(columns.openClaimCount).toEqual(onPage.map((id) => (id === ids[3] || id === ids[209] ? 1 : 0)));
    expect(columns.openComplaintCount).toEqual(onPage.map((id) => (id === ids[3] ? 1 : id === ids[209] ? 2 : 0)));
  });
});
