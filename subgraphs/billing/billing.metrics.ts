import type { DataSource } from 'typeorm';
import type { ServiceMetrics } from '../platform';

/** Counts dunning runs as they end, by outcome (done, failed): a failed run is an alert (ops/prometheus/alerts.yml). */
export function dunningRunCounter(metrics: ServiceMetrics) {
  return metrics.counter('c360_dunning_runs_total', 'Dunning runs that ended, by outcome (done, failed)', ['outcome']);
}

/**
 * Billing's own figures, read from its database at each scrape: dunning runs
 * by status. A FAILED run stays FAILED until the next run for its date
 * resumes it, so the gauge says what is still to do, on every replica alike.
 */
export function registerBillingMetrics(dataSource: DataSource) {
  return (metrics: ServiceMetrics): void => {
    dunningRunCounter(metrics);
    metrics.gauge('c360_dunning_runs', 'Dunning runs recorded, by status (RUNNING, DONE, FAILED)', ['status'], async (gauge) => {
      const rows: { status: string; n: unknown }[] = await dataSource.query('SELECT status, COUNT(*) AS n FROM dunning_runs GROUP BY status');
      for (const status of ['RUNNING', 'DONE', 'FAILED']) gauge.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
    });
  };
}
