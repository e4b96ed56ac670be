// Manifest items with awkward values for the XMP tests, and the two independent readers (exiftool, exiv2) run as
// the user would run them. The readers are required: without them these tests fail and say how to install them.
import { execa } from 'execa';
import type { ManifestItem } from '../../src/core/types.js';

const base: ManifestItem = {
  key: 'library:AF1QipN_abc123',
  refs: [{ source: 'library', id: 'AF1QipN_abc123' }],
  path: '2021/07/IMG_0001.jpg',
  size: 1234,
  sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  captureTime: '2021-07-04T13:30:45Z',
  localTime: '2021-07-04T15:30:45',
  timeSource: 'exif',
  mimeType: 'image/jpeg',
  filename: 'IMG_0001.jpg',
  quality: 'api-copy',
  fetchedAt: '2026-01-02T03:04:05.678Z',
  mtimeStamped: true,
};

/** One item per awkward case: zones +05:45, -03:30, Z; both hemispheres; names and captions XML and XMP find hard. */
export const AWKWARD: ManifestItem[] = [
  {
    ...base,
    key: 'takeout:Takeout/Google Photos/Trip <&> "2021"/IMG.jpg',
    refs: [{ source: 'takeout', id: 'Takeout/Google Photos/Trip <&> "2021"/IMG.jpg' }, { source: 'library', id: "AF1'q\"<>&" }],
    path: '2021/07/Caf\u00e9 <&> \u{1F600}.jpg',
    captureTime: '2021-07-04T09:45:45Z', // Kathmandu, +05:45
    localTime: '2021-07-04T15:30:45',
    filename: 'Caf\u00e9 <&> "quoted" \'single\' \u{1F600}.jpg',
    quality: 'original',
    width: 4032,
    height: 3024,
    description: 'Line one & <two>\nline "three" \u{1F469}\u200D\u{1F469}\u200D\u{1F467} ]]> end',
    gps: { latitude: 27.7172453, longitude: 85.3239605, altitude: 1400.5 },
    favorite: true,
    albums: ['Nepal <2021>', 'A & B', 'Trip|Sub'],
    people: ['Zo\u00eb O\'Brien', 'Ren\u00e9 "R" <r@x>'],
    editOf: 'takeout:https://photos.google.com/photo/<&>',
  },
  {
    ...base,
    key: 'picker:p-1',
    refs: [{ source: 'picker', id: 'p-1' }],
    path: '2019/03/Newfoundland.mp4',
    mimeType: 'video/mp4',
    captureTime: '2019-03-09T15:12:00Z', // St. John's, -03:30
    localTime: '2019-03-09T11:42:00',
    timeSource: 'api',
    filename: 'Newfoundland.mp4',
    description: '  leading and trailing spaces, tab\there, CR\r\nLF  ',
    gps: { latitude: -33.8568, longitude: -70.5, altitude: -12.25 },
    archived: true,
    people: ['Alice Smith'],
  },
  {
    ...base,
    key: 'library:utc',
    refs: [{ source: 'library', id: 'utc' }, { source: 'takeout', id: 'Takeout/x/utc.jpg' }],
    path: '2020/01/utc.jpg',
    captureTime: '2020-01-01T00:00:00Z',
    localTime: '2020-01-01T00:00:00',
    filename: 'control\u0001\u0007\u001f chars \u2401 \uE000 marker.jpg',
    description: 'bell\u0007 nul\u0000 esc\u001b picture\u2407 private\uE000 nonchar\uFFFE lone\uD800 end',
    gps: { latitude: 0.0000001, longitude: -179.9999999 },
    albums: ['Just one'],
  },
];

/** exiftool's XMP date form for one of ours: '2021-07-04T15:30:45+05:45' -> '2021:07:04 15:30:45+05:45'. */
export function exiftoolDate(xmpDate: string): string {
  return `${xmpDate.slice(0, 10).replace(/-/g, ':')} ${xmpDate.slice(11)}`;
}

function missingTool(tool: string, pkg: string, e: unknown): never {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${tool} is not installed; the XMP tests need it as an independent reader. Run \`bash scripts/ensure-test-tools.sh\` as root or \`sudo apt-get install ${pkg}\`.`);
  }
  throw e as Error;
}

/** `exiftool -j -G1 -n FILE…`: per file, every tag as group:name -> value (numbers unformatted). One perl for all. */
export async function exiftoolReadAll(files: string[]): Promise<Record<string, unknown>[]> {
  const r = await execa('exiftool', ['-j', '-G1', '-n', ...files], { reject: false }).catch((e: unknown) => missingTool('exiftool', 'libimage-exiftool-perl', e));
  if (r.failed) throw new Error(`exiftool failed on ${files.join(', ')}: ${r.stderr || r.stdout}`);
  const out = JSON.parse(r.stdout) as Record<string, unknown>[];
  if (out.length !== files.length) throw new Error(`exiftool read ${out.length} of ${files.length} files`);
  return out;
}

export async function exiftoolRead(file: string): Promise<Record<string, unknown>> {
  const [tags] = await exiftoolReadAll([file]);
  return tags ?? {};
}

/** `exiv2 -px FILE`: key -> printed value (multi-line values joined with '\n'; list items joined by ', '). */
export async function exiv2Read(file: string): Promise<Map<string, { type: string; value: string }>> {
  const r = await execa('exiv2', ['-px', file], { reject: false, stripFinalNewline: false }).catch((e: unknown) => missingTool('exiv2', 'exiv2', e));
  if (r.exitCode !== 0) throw new Error(`exiv2 failed on ${file} (exit ${r.exitCode}): ${r.stderr}`);
  const out = new Map<string, { type: string; value: string }>();
  let last: { type: string; value: string } | undefined;
  for (const line of r.stdout.replace(/\n$/, '').split('\n')) {
    const m = /^(Xmp\.\S+) +(\S+) +(\d+)  (.*)$/s.exec(line);
    if (m !== null) {
      last = { type: m[2] ?? '', value: m[4] ?? '' };
      out.set(m[1] ?? '', last);
    } else if (last !== undefined) last.value += `\n${line}`;
  }
  return out;
}
