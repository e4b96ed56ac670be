import { describe, expect, it } from 'vitest';
import type { InvalidItem } from '../../src/sources/library/to-remote-item.js';
import { toRemoteItem } from '../../src/sources/library/to-remote-item.js';

describe('toRemoteItem', () => {
  it('turns a wire photo into a domain item (string sizes parsed, UTC time)', () => {
    const item = toRemoteItem({
      id: 'A1',
      filename: '20190309_134201.jpg',
      mimeType: 'image/jpeg',
      baseUrl: 'https://lh3.googleusercontent.com/lr/x',
      description: 'Rome',
      mediaMetadata: { creationTime: '2019-03-09T13:42:00+01:00', width: '3264', height: '1836', photo: {} },
    });
    expect(item).toEqual({
      ref: { source: 'library', id: 'A1' },
      filename: '20190309_134201.jpg',
      mimeType: 'image/jpeg',
      kind: 'photo',
      creationTime: '2019-03-09T12:42:00Z',
      width: 3264,
      height: 1836,
      description: 'Rome',
    });
  });

  it('reads kind and status from mediaMetadata.video, and from a video/* mime type', () => {
    const v = toRemoteItem({
      id: 'V',
      filename: 'clip.mp4',
      mimeType: 'video/mp4',
      mediaMetadata: { creationTime: '2020-01-01T00:00:00.500Z', video: { status: 'PROCESSING', fps: 30 } },
    });
    expect(v).toMatchObject({ kind: 'video', videoStatus: 'PROCESSING', creationTime: '2020-01-01T00:00:00.500Z' });
    const byMime = toRemoteItem({ id: 'M', filename: 'm.mov', mimeType: 'video/quicktime', mediaMetadata: { creationTime: '2020-01-01T00:00:00Z' } });
    expect(byMime).toMatchObject({ kind: 'video', videoStatus: 'UNSPECIFIED' });
  });

  it('skips items without id, filename or creationTime and reports why', () => {
    const reports: InvalidItem[] = [];
    const report = (i: InvalidItem): void => void reports.push(i);
    expect(toRemoteItem({ filename: 'a.jpg', mediaMetadata: { creationTime: '2020-01-01T00:00:00Z' } }, report)).toBeUndefined();
    expect(toRemoteItem({ id: 'B', mediaMetadata: { creationTime: '2020-01-01T00:00:00Z' } }, report)).toBeUndefined();
    expect(toRemoteItem({ id: 'C', filename: 'c.jpg' }, report)).toBeUndefined();
    expect(toRemoteItem({ id: 'D', filename: 'd.jpg', mediaMetadata: { creationTime: 'yesterday' } }, report)).toBeUndefined();
    expect(reports.map((r) => r.id)).toEqual([undefined, 'B', 'C', 'D']);
    expect(reports[0]!.reason).toBe('missing id');
  });

  it('drops unreadable sizes instead of guessing', () => {
    const item = toRemoteItem({ id: 'E', filename: 'e.png', mimeType: 'image/png', mediaMetadata: { creationTime: '2020-01-01T00:00:00Z', width: 'wide', height: '0' } });
    expect(item).toBeDefined();
    expect(item!.width).toBeUndefined();
    expect(item!.height).toBeUndefined();
  });
});

