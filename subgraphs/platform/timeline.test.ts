import { summaryAmount } from './timeline';
import { deliveries } from './timeline-feed';
import { readTimelineSlices, type TimelineSlice } from './timeline-slices';

const event = {
  at: '2026-11-05T10:00:00.000Z',
  key: 'int:x',
  kind: 'INTERACTION',
  entityType: 'Interaction',
  entityId: 'i1',
  summary: 'Inbound EMAIL contact',
};

describe('a delivery of timeline slices', () => {
  it('reads the known keys, each of its type', () => {
    expect(readTimelineSlices({ slices: [{ customerId: 'c1', version: 3, events: [event], extra: 'ignored' }] })).toEqual([
      { customerId: 'c1', version: 3, events: [{ ...event, at: new Date(event.at) }] },
    ]);
    expect(readTimelineSlices({ slices: [{ customerId: 'c2', version: 1, events: [] }] })).toEqual([{ customerId: 'c2', version: 1, events: [] }]);
  });

  it.each([
    ['not json', 'slices'],
    [null, 'slices'],
    [{ slices: 'a' }, 'slices'],
    [{ slices: Array.from({ length: 1001 }, () => ({ customerId: 'c', version: 1, events: [] })) }, 'slices'],
    [{ slices: [{ customerId: '', version: 1, events: [] }] }, 'customerId'],
    [{ slices: [{ customerId: 'x'.repeat(37), version: 1, events: [] }] }, 'customerId'],
    [{ slices: [{ customerId: 'c', version: 0, events: [] }] }, 'version'],
    [{ slices: [{ customerId: 'c', version: 1.5, events: [] }] }, 'version'],
    [{ slices: [{ customerId: 'c', version: 1, events: 'x' }] }, 'events'],
    [{ slices: [{ customerId: 'c', version: 1, events: [{ ...event, kind: 'DROP TABLE' }] }] }, 'events'],
    [{ slices: [{ customerId: 'c', version: 1, events: [{ ...event, at: 'yesterday' }] }] }, 'events'],
    [{ slices: [{ customerId: 'c', version: 1, events: [{ ...event, summary: 's'.repeat(501) }] }] }, 'events'],
    [{ slices: [{ customerId: 'c', version: 1, events: [null] }] }, 'events'],
  ])('refuses %j with BAD_USER_INPUT', (body, field) => {
    expect(() => readTimelineSlices(body)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: expect.stringContaining(field) }) }),
    );
  });

  it('cuts slices into deliveries of whole slices, a large one alone', () => {
    const slice = (id: string, n: number): TimelineSlice => ({
      customerId: id,
      version: 1,
      events: Array.from({ length: n }, () => ({ ...event, at: new Date(event.at), kind: 'INTERACTION' as const })),
    });
    const cut = deliveries([slice('a', 3), slice('b', 4), slice('c', 12), slice('d', 1), slice('e', 0)], 8);
    expect(cut.map((d) => d.map((s) => s.customerId))).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
    expect(deliveries([])).toEqual([]);
  });

  it('words amounts with a dot and the currency', () => {
    expect(summaryAmount(123450, 'EUR')).toBe('1234.50 EUR');
    expect(summaryAmount(-5, null)).toBe('-0.05');
    expect(summaryAmount(null, 'EUR')).toBe('');
  });
});
