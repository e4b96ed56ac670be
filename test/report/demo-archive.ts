// A small demo-like archive written directly: real JPEGs and an MP4 in {yyyy}/{mm} folders, their manifest entries
// through the real ManifestStore, from three sources, with albums, captions (one an injection attempt), and a hole.
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import type { ManifestItem, SourceName } from '../../src/core/types.js';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { makeMp4 } from '../../src/emulator/media/mp4.js';

export const INJECTION = '</script><img src=x onerror=alert(1)>';

export interface DemoEntry {
  path: string;
  localTime: string;
  source: SourceName;
  caption?: string;
  albums?: string[];
  video?: boolean;
}

/** 2024-01: 3 items, 2024-02: none (the hole), 2024-03: 2, 2024-04: 1 (plus a file named like a URL). */
export const DEMO: DemoEntry[] = [
  { path: '2024/01/IMG_0001.jpg', localTime: '2024-01-05T10:00:00', source: 'takeout', caption: 'New year walk', albums: ['Winter', 'Family'] },
  { path: '2024/01/IMG_0002.jpg', localTime: '2024-01-05T11:30:00', source: 'library' },
  { path: '2024/01/VID_0003.mp4', localTime: '2024-01-20T09:15:00', source: 'picker', video: true, albums: ['Winter'] },
  { path: '2024/03/IMG_0004.jpg', localTime: '2024-03-02T08:00:00', source: 'takeout', caption: INJECTION, albums: [INJECTION] },
  { path: '2024/03/IMG_0005 #1?.jpg', localTime: '2024-03-09T18:45:00', source: 'library', albums: ['Family'] },
  { path: '2024/04/IMG_0006.jpg', localTime: '2024-04-30T23:59:00', source: 'takeout' },
];

export async function writeDemoArchive(dir: string, entries: readonly DemoEntry[] = DEMO): Promise<void> {
  const store = await ManifestStore.open(dir);
  let seed = 1;
  for (const e of entries) {
    const abs = join(dir, ...e.path.split('/'));
    await mkdir(join(abs, '..'), { recursive: true });
    const when = new Date(`${e.localTime}Z`);
    const body = e.video === true
      ? makeMp4({ creationTime: when, seed })
      : makeJpeg({ width: 64, height: 48, seed, dateTimeOriginal: e.localTime.replace('T', ' ').replaceAll('-', ':') });
    seed++;
    await writeFile(abs, body);
    await utimes(abs, when, when);
    const item: ManifestItem = {
      key: `${e.source}:id${seed}`,
      refs: [{ source: e.source, id: `id${seed}` }],
      path: e.path,
      size: body.length,
      sha256: '0'.repeat(64),
      captureTime: when.toISOString().replace('.000', ''),
      localTime: e.localTime,
      timeSource: 'exif',
      mimeType: e.video === true ? 'video/mp4' : 'image/jpeg',
      filename: e.path.slice(e.path.lastIndexOf('/') + 1),
      quality: e.source === 'takeout' ? 'original' : 'api-copy',
      fetchedAt: '2025-01-01T00:00:00Z',
      mtimeStamped: true,
      ...(e.caption === undefined ? {} : { description: e.caption }),
      ...(e.albums === undefined ? {} : { albums: e.albums }),
    };
    await store.put(item);
  }
  await store.close();
}
