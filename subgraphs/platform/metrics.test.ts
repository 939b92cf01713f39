import { MAX_OPERATION_LABELS, ServiceMetrics } from './metrics';

describe('service metrics', () => {
  it('give an operation name a label of its own only until MAX_OPERATION_LABELS names are known', () => {
    const metrics = new ServiceMetrics('gateway');
    for (let i = 0; i < MAX_OPERATION_LABELS; i++) expect(metrics.operationLabel(`Op${i}`)).toBe(`Op${i}`);
    expect(metrics.operationLabel('OneTooMany')).toBe('other');
    expect(metrics.operationLabel('Op7')).toBe('Op7');
    expect(metrics.operationLabel(undefined)).toBe('anonymous');
  });

  it('label every series with the service and document it with HELP and TYPE', async () => {
    const metrics = new ServiceMetrics('claims');
    metrics.counter('c360_test_total', 'A test counter', ['kind']).inc({ kind: 'x' });
    const text = await metrics.text();
    expect(text).toContain('# HELP c360_test_total A test counter');
    expect(text).toContain('# TYPE c360_test_total counter');
    expect(text).toMatch(/^c360_test_total\{kind="x",service="claims"\} 1$/m);
  });

  it('read a gauge at scrape time', async () => {
    const metrics = new ServiceMetrics('billing');
    let value = 3;
    metrics.gauge('c360_test_gauge', 'A test gauge', [], (gauge) => gauge.set(value));
    expect(await metrics.text()).toMatch(/^c360_test_gauge\{service="billing"\} 3$/m);
    value = 5;
    expect(await metrics.text()).toMatch(/^c360_test_gauge\{service="billing"\} 5$/m);
  });
});
