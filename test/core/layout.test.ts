import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { compileLayout, DEFAULT_LAYOUT, validateLayout } from '../../src/core/layout.js';

describe('compileLayout', () => {
  it.each([
    [DEFAULT_LAYOUT, '2019/03'],
    ['{yyyy}/{mm}/{dd}', '2019/03/09'],
    ['{yyyy}/{yyyy}-{mm}', '2019/2019-03'],
    ['photos/{yyyy}_{mm}', 'photos/2019_03'],
    ['everything', 'everything'],
  ])('%s -> %s', (template, expected) => {
    expect(compileLayout(template)('2019-03-09T21:42:00')).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['{yyyy}/{hh}', 'unknown token'],
    ['{YYYY}', 'unknown token'],
    ['{yyyy', 'unknown token'],
    ['/{yyyy}', 'relative'],
    ['C:/{yyyy}', 'relative'],
    ['{yyyy}/../{mm}', "'..'"],
    ['./{yyyy}', "'.'"],
    ['{yyyy}//{mm}', 'empty folder'],
    ['{yyyy}/', 'empty folder'],
    ['{yyyy}\\{mm}', "'/'"],
    ['{yyyy} {mm}', 'letters, digits'],
    ['.hidden/{yyyy}', 'letters, digits'],
    ['albums/{yyyy}', 'album views'],
    ['{yyyy}/CON', 'reserved'],
  ])('rejects %j (%s)', (template, why) => {
    expect(() => validateLayout(template)).toThrow(UsageError);
    expect(() => compileLayout(template)).toThrow(why);
  });

  it('names the valid tokens in the hint', () => {
    try {
      compileLayout('{hh}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).hint).toMatch(/\{yyyy\}.*\{mm\}.*\{dd\}/);
    }
  });
});

describe('compiled layout on any input', () => {
  // The definition: a local time must start with 'DDDD-DD-DDT'; the folder is built from those digits.
  const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T/;
  function reference(template: string, localTime: string): string {
    const m = LOCAL.exec(localTime);
    if (m === null) throw new RangeError(`not a local time: '${localTime}'`);
    return template.replaceAll('{yyyy}', m[1] ?? '').replaceAll('{mm}', m[2] ?? '').replaceAll('{dd}', m[3] ?? '');
  }

  it('equals the definition, and throws exactly where it does', () => {
    const templates = [DEFAULT_LAYOUT, '{yyyy}/{mm}/{dd}', '{yyyy}/{yyyy}-{mm}', 'photos/{yyyy}_{mm}', 'everything', '{dd}{mm}{yyyy}'];
    const localish = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms).toISOString().slice(0, 19)),
      fc.string({ unit: fc.constantFrom(...'0123456789-T:x'), maxLength: 20 }),
      fc.constantFrom('2019-03-09T', '2019-03-09', '2019-3-09T00:00:00', '٢٠١٩-03-09T00:00:00', '+02019-03-09T00:00:00'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...templates), localish, (template, local) => {
        const layout = compileLayout(template);
        let expected: string | RangeError;
        try {
          expected = reference(template, local);
        } catch (e) {
          expected = e as RangeError;
        }
        if (typeof expected === 'string') expect(layout(local)).toBe(expected);
        else expect(() => layout(local)).toThrow(expected.message);
      }),
      { seed: 3, numRuns: 2000 },
    );
  });
});
