import type { Rollup } from '../platform/rollup';
import { SEGMENT_INTERACTION_DAYS } from './segment-report.repository';

const STAT_DIMENSIONS = [
  ['CHANNEL', 'channel'],
  ['SERVICE_AREA', 'service_area'],
  ['COMPETENCE_LEVEL', 'competence_level'],
] as const;

const refillStats = (day: string) =>
  STAT_DIMENSIONS.map(
    ([name, column]) =>
      `INSERT INTO interaction_stat_days (dimension, day, value, interactions, resolved, rated, rating_sum)
       SELECT '${name}', ${day}, ${column}, COUNT(*), SUM(CASE WHEN resolved_on_first_contact = 1 THEN 1 ELSE 0 END),
              COUNT(satisfaction), COALESCE(SUM(satisfaction), 0)
       FROM interactions GROUP BY ${day}, ${column}`,
  );

/**
 * interactionStats per (dimension, UTC day, value), kept by triggers
 * (migration 1764900000000-InteractionStatDays): each interaction counts once
 * under CHANNEL, SERVICE_AREA and COMPETENCE_LEVEL.
 */
export const INTERACTION_STAT_DAYS: Rollup = {
  totals: 'interaction_stat_days',
  changes: 'interaction_stat_changes',
  keys: ['dimension', 'day', 'value'],
  measures: ['interactions', 'resolved', 'rated', 'rating_sum'],
  refill: { mysql: refillStats('DATE(occurred_at)'), sqlite: refillStats('date(occurred_at)') },
};

/** Every figure contacts keeps ahead: folded by the compactor, rebuilt by `npm run db:rollups -- --rebuild`. */
export const CONTACTS_ROLLUPS: readonly Rollup[] = [SEGMENT_INTERACTION_DAYS, INTERACTION_STAT_DAYS];
