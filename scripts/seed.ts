import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { isCalendarDate, utcDate, type SeedSize } from '../subgraphs/platform';
import { seedAll } from './database';

const USAGE = 'usage: npm run db:seed -- [--size demo|large] [--reset] [--today YYYY-MM-DD]';

/** `npm run db:seed -- --size demo|large`: deterministic data for every subgraph. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: 'demo' }, reset: { type: 'boolean', default: false }, today: { type: 'string' } },
  });
  const today = values.today ?? utcDate(new Date());
  if (values.size !== 'demo' && values.size !== 'large') throw new Error(`--size must be demo or large\n${USAGE}`);
  if (!isCalendarDate(today)) throw new Error(`--today must be a date YYYY-MM-DD\n${USAGE}`);
  const started = Date.now();
  await seedAll({ size: values.size as SeedSize, today, reset: values.reset });
  console.log(`[seed] ${values.size} data as of ${today} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(`[seed] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
