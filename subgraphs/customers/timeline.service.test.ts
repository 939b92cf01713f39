import type { TimelineRow } from '../platform/timeline';
import { compareTimeline, timelineArgs, timelineBefore } from './timeline.service';

const row = (at: string, source: string, key: string): TimelineRow => ({
  customerId: 'c',
  at: new Date(at),
  key,
  kind: 'INTERACTION',
  entityType: 'Interaction',
  entityId: key,
  summary: '',
  source,
});

describe('the merged timeline order', () => {
  it('is newest first, then by source, then by key descending', () => {
    const rows = [
      row('2026-11-01T10:00:00Z', 'contacts', 'int:a'),
      row('2026-11-02T10:00:00Z', 'claims', 'cmp:a'),
      row('2026-11-01T10:00:00Z', 'billing', 'inv:a'),
      row('2026-11-01T10:00:00Z', 'contacts', 'int:b'),
    ];
    expect(rows.sort(compareTimeline).map((r) => `${r.source} ${r.key}`)).toEqual(['claims cmp:a', 'billing inv:a', 'contacts int:b', 'contacts int:a']);
  });

  it('continues each source where the cursor says: its own by key, one before it strictly older, one after it from the instant on', () => {
    const cursor: [string, string, string] = ['2026-11-01T10:00:00.000Z', 'contacts', 'int:b'];
    const at = new Date(cursor[0]);
    expect(timelineBefore('contacts', cursor)).toEqual({ at, key: 'int:b' });
    expect(timelineBefore('billing', cursor)).toEqual({ at, inclusive: false });
    expect(timelineBefore('key-accounts', cursor)).toEqual({ at, inclusive: true });
    expect(timelineBefore('billing', undefined)).toBeUndefined();
  });

  it('checks the public arguments', () => {
    expect(timelineArgs(null, null, [], null, null)).toEqual({ first: 20, after: undefined, kinds: undefined, from: undefined, to: undefined });
    expect(() => timelineArgs(101, null, null, null, null)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'first' }) }),
    );
    const t = new Date('2026-11-01T00:00:00Z');
    expect(() => timelineArgs(5, null, null, t, t)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ field: 'to' }) }));
    expect(() => timelineArgs(5, 'garbage', null, null, null)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});
