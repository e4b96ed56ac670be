import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldKey, safeFilename, utf8Length, withSuffix } from '../../src/core/names.js';

const FC = { seed: 20250331, numRuns: 300 };

// Strings biased towards what breaks file systems: separators, dots, controls, reserved names, astral chars.
const hostileChar = fc.constantFrom(
  '/', '\\', '.', ' ', '\u0000', '\u001f', '\u007f', '\u0085', ':', '*', '?', '"', '<', '>', '|', '~',
  'é', 'e\u0301', 'ß', 'İ', '😀', '\uD83D', '\uDE00', 'a', 'Z', '-', 'CON', 'lpt1', '.jpg',
);
const hostileName = fc.oneof(
  fc.array(hostileChar, { maxLength: 20 }).map((cs) => cs.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.tuple(fc.string({ unit: 'grapheme', minLength: 60, maxLength: 200 }), fc.constantFrom('', '.jpg', '.jpeg', '.HEIC')).map(([s, e]) => s + e),
  fc.tuple(fc.string({ unit: 'binary', minLength: 200, maxLength: 400 }), fc.constantFrom('', '.mp4')).map(([s, e]) => s + e),
);

describe('safeFilename', () => {
  it.each([
    ['IMG_1234.jpg', 'IMG_1234.jpg'],
    ['a/b\\c.jpg', 'a_b_c.jpg'],
    ['../../etc/passwd', '.._.._etc_passwd'],
    ['a\u0000b\u001fc\u007fd\u0090.png', 'a_b_c_d_.png'],
    ['what?<>:"|*.jpg', 'what_______.jpg'],
    ['photo. . .', 'photo'],
    ['', 'unnamed'],
    ['.', 'unnamed'],
    ['..', 'unnamed'],
    ['....', 'unnamed'],
    ['.jpg', 'unnamed.jpg'],
    ['...jpg', 'unnamed.jpg'],
    ['CON', '_CON'],
    ['con.jpg', '_con.jpg'],
    ['Lpt9.tar.gz', '_Lpt9.tar.gz'],
    ['COM1 .jpg', '_COM1 .jpg'],
    ['CONSOLE.jpg', 'CONSOLE.jpg'],
    ['e\u0301te\u0301.jpg', '\u00e9t\u00e9.jpg'],
    ['lone\uD83D.jpg', 'lone_.jpg'],
  ])('%j -> %j', (input, expected) => {
    expect(safeFilename(input)).toBe(expected);
  });

  it('shortens the stem to 240 UTF-8 bytes (room for .gphotos.part), keeps the extension, never splits a code point', () => {
    const out = safeFilename('😀'.repeat(100) + '.jpeg');
    expect(utf8Length(out)).toBeLessThanOrEqual(240);
    expect(out.endsWith('.jpeg')).toBe(true);
    expect(out).toBe('😀'.repeat(58) + '.jpeg'); // 58 * 4 + 5 = 237; a 59th would need 241
    expect(utf8Length(out + '.gphotos.part')).toBeLessThanOrEqual(255);
  });

  it('treats only a short last suffix as an extension', () => {
    const out = safeFilename('x'.repeat(300) + '.averyverylongext');
    expect(utf8Length(out)).toBe(240);
    expect(out.startsWith('x')).toBe(true);
  });

  it('properties: safe, bounded, idempotent, contained', () => {
    fc.assert(
      fc.property(hostileName, fc.constantFrom('', '2019/03', 'a/b'), (name, dir) => {
        const safe = safeFilename(name);
        expect(safe).not.toMatch(/[/\\\u0000-\u001f\u007f-\u009f<>:"|?*]/);
        expect(safe).not.toMatch(/^\.*$/);
        expect(safe).not.toMatch(/[. ]$/);
        expect(utf8Length(safe)).toBeLessThanOrEqual(240);
        expect(safe).toBe(safe.normalize('NFC'));
        expect(safe).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        expect(safeFilename(safe)).toBe(safe);
        const joined = path.posix.join('root', dir, safe);
        expect(joined.startsWith(dir === '' ? 'root/' : `root/${dir}/`)).toBe(true);
        expect(path.posix.dirname(joined)).toBe(path.posix.join('root', dir));
      }),
      FC,
    );
  });
});

describe('foldKey', () => {
  it.each([
    ['IMG.JPG', 'img.jpg'],
    ['e\u0301.jpg', '\u00e9.jpg'],
    ['Straße.jpg', 'strasse.jpg'],
    ['ı.jpg', 'i.jpg'],
    ['\u212B.jpg', '\u00e5.jpg'], // Angstrom sign ~ å
    ['ς.jpg', 'σ.jpg'],
  ])('folds %j like %j', (a, b) => {
    expect(foldKey(a)).toBe(foldKey(b));
  });

  it('keeps different names apart', () => {
    expect(foldKey('a.jpg')).not.toBe(foldKey('b.jpg'));
    expect(foldKey('İ.jpg')).not.toBe(foldKey('i.jpg'));
  });
});

describe('withSuffix', () => {
  it.each([
    ['IMG_1234.jpg', 2, 'IMG_1234~2.jpg'],
    ['IMG_1234', 3, 'IMG_1234~3'],
    ['archive.tar.gz', 10, 'archive.tar~10.gz'],
  ])('%j ~%i -> %j', (name, n, expected) => {
    expect(withSuffix(name, n)).toBe(expected);
  });

  it('stays within 240 bytes, keeps the extension, and stays safe', () => {
    fc.assert(
      fc.property(hostileName, fc.integer({ min: 2, max: 100_000 }), (name, n) => {
        const safe = safeFilename(name);
        const out = withSuffix(safe, n);
        expect(utf8Length(out)).toBeLessThanOrEqual(240);
        expect(out).toContain(`~${n}`);
        expect(safeFilename(out)).toBe(out);
      }),
      FC,
    );
  });

  it('rejects n < 2', () => {
    expect(() => withSuffix('a.jpg', 1)).toThrow(RangeError);
  });
});

describe('fast paths', () => {
  const encoder = new TextEncoder();
  const anyString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }), // includes lone surrogates
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.string({ maxLength: 60 }),
    fc.array(hostileChar, { maxLength: 20 }).map((cs) => cs.join('')),
  );

  it('utf8Length counts what TextEncoder writes, lone surrogates as U+FFFD', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(utf8Length(s)).toBe(encoder.encode(s).length);
      }),
      { ...FC, numRuns: 2000 },
    );
    for (const s of ['', 'a', 'é', '€', '😀', '\uD83D', '\uDE00', '\uDE00\uD83D', 'a\uD83Db', '\u007f\u0080\u07ff\u0800\uffff']) {
      expect(utf8Length(s)).toBe(encoder.encode(s).length);
    }
  });

  // Plain ASCII names are returned as they are; the same name with a trailing dot takes the full path, which
  // strips the dot first, so both must agree.
  const plainName = fc
    .tuple(
      fc.string({ unit: fc.constantFrom(...'ABCXYZabcxyz0189_-.'), minLength: 1, maxLength: 250 }),
      fc.constantFrom('', '.jpg', '.JPG', '.heic', '.MP4', '.tar.gz', '.'),
    )
    .map(([s, e]) => s + e);

  it('safeFilename of a plain ASCII name equals the full sanitisation', () => {
    fc.assert(
      fc.property(plainName, (name) => {
        expect(safeFilename(name)).toBe(safeFilename(`${name}.`));
        expect(safeFilename(name)).toBe(safeFilename(`${name} `));
      }),
      { ...FC, numRuns: 2000 },
    );
    for (const name of ['CON', 'con.jpg', 'Lpt1.tar.gz', 'nul', 'COM3.JPG', '.hidden', '..jpg', 'a'.repeat(241), 'a'.repeat(240)]) {
      expect(safeFilename(name)).toBe(safeFilename(`${name}.`));
    }
    expect(safeFilename('CON.jpg')).toBe('_CON.jpg');
    expect(safeFilename('.hidden')).toBe('unnamed.hidden');
    expect(utf8Length(safeFilename('a'.repeat(300)))).toBe(240);
  });

  it('foldKey of ASCII equals the full fold (NFC, upper, lower, NFC)', () => {
    const full = (s: string): string => s.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 60 }), anyString), (s) => {
        expect(foldKey(s)).toBe(full(s));
      }),
      { ...FC, numRuns: 2000 },
    );
  });

  it('withSuffix keeps within MAX_NAME_BYTES for ASCII and non-ASCII stems', () => {
    for (const stem of ['a'.repeat(250), 'é'.repeat(200), '😀'.repeat(100)]) {
      const name = withSuffix(`${stem}.jpg`, 12);
      expect(utf8Length(name)).toBeLessThanOrEqual(240);
      expect(name.endsWith('~12.jpg')).toBe(true);
    }
  });
});
