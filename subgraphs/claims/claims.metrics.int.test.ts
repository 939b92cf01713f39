import { ServiceMetrics } from '../platform';
import { claimsHarness } from '../../test/support/claims';
import { registerClaimsMetrics } from './claims.metrics';

let t: Awaited<ReturnType<typeof claimsHarness>>;
const FILE = `mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { id } }`;
const RESPOND = `mutation($id: ID!) { respondToComplaint(id: $id, message: "On it") { id } }`;
const RESOLVE = `mutation($id: ID!) { resolveComplaint(id: $id, resolution: "Refunded") { id } }`;

const at = (iso: string) => t.h.clock.set(new Date(iso));
const file = async () =>
  (await t.ok(FILE, { input: { customerId: 'c1', channel: 'EMAIL', category: 'Billing error', priority: 'HIGH', description: 'Wrong amount' } })).fileComplaint
    .id as string;

beforeAll(async () => {
  t = await claimsHarness();
  t.directory.add('c1', 'PERSON');
});
afterAll(async () => {
  await t?.h.close();
});

async function breached(metrics: ServiceMetrics): Promise<Record<string, number>> {
  const text = await metrics.text();
  return Object.fromEntries([...text.matchAll(/^c360_complaints_sla_breached\{deadline="(\w+)",service="claims"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
}

describe('c360_complaints_sla_breached', () => {
  it('counts unresolved complaints past each deadline, read from the database at scrape time', async () => {
    const metrics = new ServiceMetrics('claims');
    registerClaimsMetrics(t.h.dataSource, t.h.clock)(metrics);
    // HIGH: first response due after 4 h, resolution after 24 h.
    await at('2026-11-22T08:00:00Z');
    await file(); // never answered
    const answered = await file();
    const resolved = await file();
    await at('2026-11-22T09:00:00Z');
    await t.ok(RESPOND, { id: answered });
    await t.ok(RESOLVE, { id: resolved });

    await at('2026-11-22T11:00:00Z');
    expect(await breached(metrics)).toEqual({ first_response: 0, resolution: 0 });
    await at('2026-11-22T13:00:00Z');
    expect(await breached(metrics)).toEqual({ first_response: 1, resolution: 0 });
    await at('2026-11-23T09:00:00Z');
    expect(await breached(metrics)).toEqual({ first_response: 1, resolution: 2 });
    // The same figures straight from the rows.
    const [row] = await t.h.dataSource.query(
      `SELECT SUM(CASE WHEN resolved_at IS NULL AND resolution_due_at < '2026-11-23 09:00:00' THEN 1 ELSE 0 END) AS r FROM complaints`,
    );
    expect(Number(row.r)).toBe(2);
  });
});
