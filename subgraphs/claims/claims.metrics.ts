import type { DataSource } from 'typeorm';
import { sqlInstant, systemClock, type Clock, type ServiceMetrics } from '../platform';

/**
 * Claims' own figures, read from its database at each scrape: complaints
 * not yet resolved whose SLA deadline has passed, by deadline. Read from the
 * database rather than counted in the process, so that every replica reports
 * the same number (dashboards take the max).
 */
export function registerClaimsMetrics(dataSource: DataSource, clock: Clock = systemClock) {
  return (metrics: ServiceMetrics): void => {
    metrics.gauge(
      'c360_complaints_sla_breached',
      'Unresolved complaints past their SLA deadline, by deadline (first_response: not answered in time; resolution: not resolved in time)',
      ['deadline'],
      async (gauge) => {
        const now = sqlInstant(dataSource, clock.now());
        const [row]: Record<string, unknown>[] = await dataSource.query(
          `SELECT COALESCE(SUM(CASE WHEN first_response_at IS NULL AND first_response_due_at < ? THEN 1 ELSE 0 END), 0) AS first_response,
                  COALESCE(SUM(CASE WHEN resolution_due_at < ? THEN 1 ELSE 0 END), 0) AS resolution
           FROM complaints WHERE resolved_at IS NULL`,
          [now, now],
        );
        gauge.set({ deadline: 'first_response' }, Number(row?.first_response ?? 0));
        gauge.set({ deadline: 'resolution' }, Number(row?.resolution ?? 0));
      },
    );
  };
}
