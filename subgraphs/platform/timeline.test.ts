import { readTimelineQuery } from './timeline.resolver';
import { summaryAmount } from './timeline';

describe('the internal timeline query', () => {
  it('reads the known keys, each of its type', () => {
    expect(
      readTimelineQuery({
        customerIds: ['a', 'b'],
        kinds: ['INTERACTION'],
        from: '2026-11-01T00:00:00Z',
        before: { at: '2026-11-05T10:00:00.000Z', key: 'int:x' },
        limit: 21,
      }),
    ).toEqual({
      customerIds: ['a', 'b'],
      kinds: ['INTERACTION'],
      from: new Date('2026-11-01T00:00:00Z'),
      to: undefined,
      before: { at: new Date('2026-11-05T10:00:00.000Z'), key: 'int:x', inclusive: false },
      limit: 21,
    });
    expect(readTimelineQuery({ customerIds: [], limit: 1, before: { at: '2026-11-05T10:00:00.000Z', inclusive: true } }).before).toEqual({
      at: new Date('2026-11-05T10:00:00.000Z'),
      key: undefined,
      inclusive: true,
    });
  });

  it.each([
    ['not json', 'query must be a JSON object'],
    [['a'], 'query must be a JSON object'],
    [null, 'query must be a JSON object'],
    [{ customerIds: 'a', limit: 1 }, 'customerIds'],
    [{ customerIds: Array.from({ length: 1001 }, () => 'x'), limit: 1 }, 'customerIds'],
    [{ customerIds: ['a'], limit: 102 }, 'limit'],
    [{ customerIds: ['a'], limit: 0 }, 'limit'],
    [{ customerIds: ['a'], limit: 5, kinds: ['DROP TABLE'] }, 'kinds'],
  ])('refuses %j with BAD_USER_INPUT', (body, message) => {
    expect(() => readTimelineQuery(body)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(message), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });

  it('words amounts with a dot and the currency', () => {
    expect(summaryAmount(123450, 'EUR')).toBe('1234.50 EUR');
    expect(summaryAmount(-5, null)).toBe('-0.05');
    expect(summaryAmount(null, 'EUR')).toBe('');
  });
});
