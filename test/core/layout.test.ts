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
