import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../subgraphs/platform';

/**
 * The shipped Grafana dashboard and Prometheus alert rules: they parse, are
 * well-formed, and ask only for series that the services really export.
 */
const root = projectRoot();
const dashboard = JSON.parse(readFileSync(join(root, 'ops', 'grafana', 'customer360.json'), 'utf8')) as {
  title: string;
  uid: string;
  panels: { id: number; title: string; type: string; targets: { expr: string; refId: string }[] }[];
};
const rulesFile = join(root, 'ops', 'prometheus', 'alerts.yml');
const rules = parse(readFileSync(rulesFile, 'utf8')) as {
  groups: { name: string; rules: { alert: string; expr: string; labels?: Record<string, string> }[] }[];
};

/** Every metric name our source defines (ServiceMetrics.counter/histogram/gauge calls), plus prom-client's defaults we use. */
function definedMetrics(): Set<string> {
  const names = new Set(['process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'up']);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/'(c360_[a-z_]+)'/g)) names.add(m[1]!);
    }
  };
  for (const dir of ['gateway', 'subgraphs']) walk(join(root, dir));
  return names;
}

/** Metric names an expression reads (identifiers followed by `{`, `[` or a space that are not functions or keywords). */
function metricsOf(expr: string): string[] {
  const found = [...expr.matchAll(/\b([a-z_][a-z0-9_]*)(?=\s*[{[])/g)].map((m) => m[1]!);
  return found.map((name) => name.replace(/_(bucket|count|sum)$/, '')).filter((name) => !['by', 'without', 'offset'].includes(name));
}

describe('the Grafana dashboard', () => {
  it('is a dashboard with panels that each query something', () => {
    expect(dashboard).toMatchObject({ title: 'Customer 360', uid: 'customer360' });
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) expect(panel.targets.length).toBeGreaterThan(0);
  });

  it('covers error rate, p99 latency, subgraphs, SLA breaches and dunning runs with series the services export', () => {
    const defined = definedMetrics();
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    for (const expr of exprs) for (const name of metricsOf(expr)) expect({ expr, name, defined: defined.has(name) }).toEqual({ expr, name, defined: true });
    const all = exprs.join('\n');
    for (const needed of [
      'outcome="error"',
      'histogram_quantile(0.99',
      'c360_subgraph_fetch_errors_total',
      'c360_complaints_sla_breached',
      'c360_dunning_runs',
    ])
      expect(all).toContain(needed);
  });
});

describe('the Prometheus alert rules', () => {
  it('alert on error rate, p99 latency, a subgraph down, SLA breaches growing and a failed dunning run', () => {
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'Customer360DunningRunFailed',
      'Customer360HighErrorRate',
      'Customer360HighLatency',
      'Customer360SlaBreachesGrowing',
      'Customer360SubgraphDown',
    ]);
    const defined = definedMetrics();
    for (const alert of alerts) {
      expect(alert.labels?.severity).toMatch(/^(page|ticket)$/);
      for (const name of metricsOf(alert.expr))
        expect({ alert: alert.alert, name, defined: defined.has(name) }).toEqual({ alert: alert.alert, name, defined: true });
    }
  });

  it('pass promtool check rules (Debian prometheus; where it is not installed, the structure above is the check)', () => {
    const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
    if (!promtool) {
      // No promtool: each rule still needs a name, an expression and a severity, checked above and here.
      for (const rule of rules.groups.flatMap((g) => g.rules)) expect(rule.expr.trim().length).toBeGreaterThan(0);
      return;
    }
    const output = execFileSync(promtool, ['check', 'rules', rulesFile], { encoding: 'utf8' });
    expect(output).toContain('SUCCESS: 5 rules found');
  });
});
