import { billingHarness } from '../../test/support/billing';
import { registerBillingMetrics } from './billing.metrics';

let t: Awaited<ReturnType<typeof billingHarness>>;
const RUN = `mutation($asOf: Date!) { runDunning(asOf: $asOf) { asOf noticesIssued } }`;

beforeAll(async () => {
  t = await billingHarness();
  t.directory.add('p', 'PERSON');
  await t.invoice('p', '2026-09-17', '2026-10-01', '100.00');
  registerBillingMetrics(t.h.dataSource)(t.h.telemetry.metrics);
});
afterAll(async () => {
  await t?.h.close();
});

async function series(): Promise<Record<string, number>> {
  const text = await t.h.telemetry.metrics.text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^(c360_dunning_runs(?:_total)?)\{(?:outcome|status)="(\w+)",service="billing"\} (\d+)$/gm))
    out[`${m[1]}:${m[2]}`] = Number(m[3]);
  return out;
}

describe('dunning run metrics', () => {
  it('count a failed run and its resumption, and report what the run table says', async () => {
    // Claims cannot say which invoices are disputed: the run must fail rather than dun a disputed invoice.
    const disputed = t.disputes.disputed.bind(t.disputes);
    t.disputes.disputed = async () => {
      throw new Error('claims is down');
    };
    const failed = await t.h.execute(RUN, { asOf: '2026-10-08' });
    expect(failed.errors).toBeDefined();
    expect(await series()).toMatchObject({ 'c360_dunning_runs_total:failed': 1, 'c360_dunning_runs:FAILED': 1, 'c360_dunning_runs:DONE': 0 });

    t.disputes.disputed = disputed;
    expect((await t.ok(RUN, { asOf: '2026-10-08' })).runDunning).toEqual({ asOf: '2026-10-08', noticesIssued: 1 });
    expect(await series()).toMatchObject({
      'c360_dunning_runs_total:failed': 1,
      'c360_dunning_runs_total:done': 1,
      'c360_dunning_runs:FAILED': 0,
      'c360_dunning_runs:DONE': 1,
    });
    const rows: { status: string }[] = await t.h.dataSource.query('SELECT status FROM dunning_runs');
    expect(rows.map((r) => r.status)).toEqual(['DONE']);
  });
});
