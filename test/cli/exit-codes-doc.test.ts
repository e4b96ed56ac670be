// docs/exit-codes.md is what scripts and systemd units are written against: its table must list every code the
// CLI can return (src/cli/exit-codes.ts is the only place codes come from) and no other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';

function documentedCodes(): Map<number, string> {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/exit-codes.md'), 'utf8');
  const rows = new Map<number, string>();
  for (const m of doc.matchAll(/^\| (\d+) \| (.*)$/gm)) rows.set(Number(m[1]), m[2]!);
  return rows;
}

describe('docs/exit-codes.md', () => {
  it('lists exactly the codes in EXIT', () => {
    expect([...documentedCodes().keys()].sort((a, b) => a - b)).toEqual([...new Set(Object.values(EXIT))].sort((a, b) => a - b));
  });

  it('says a bad archive folder is a usage error and an unusable one a local error', () => {
    const rows = documentedCodes();
    expect(rows.get(EXIT.usage)).toMatch(/a file instead of a folder/);
    expect(rows.get(EXIT.local)).toMatch(/permission/);
  });
});
