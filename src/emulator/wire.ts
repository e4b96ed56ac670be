// Library API wire shapes exactly as Google sends them: int64 as JSON strings, defaults and empty
// collections omitted (proto3 JSON), productUrl/baseUrl in Google's URL shapes.
import type { EmulatorContext } from './context.js';
import type { LibraryAlbum, LibraryItem } from './library-data.js';

const PHOTO_DETAILS = { focalLength: 4.25, apertureFNumber: 1.8, isoEquivalent: 100, exposureTime: '0.008333333s' };

export function baseUrlOf(ctx: EmulatorContext, item: LibraryItem, ttlSec: number): string {
  return `${ctx.urls.bytes}/lr/${ctx.baseUrls.sign(item.id, ttlSec)}`;
}

export function mediaItemJson(ctx: EmulatorContext, item: LibraryItem, ttlSec: number, albumId?: string): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    creationTime: item.creationTime,
    width: String(item.width),
    height: String(item.height),
  };
  if (item.kind === 'video') {
    metadata['video'] = { fps: 30, status: item.videoStatus ?? 'READY' };
  } else {
    const photo: Record<string, unknown> = {};
    if (item.cameraMake !== undefined) Object.assign(photo, { cameraMake: item.cameraMake, cameraModel: item.cameraModel }, PHOTO_DETAILS);
    metadata['photo'] = photo;
  }
  const json: Record<string, unknown> = {
    id: item.id,
    productUrl: albumId
      ? `https://photos.google.com/lr/album/${albumId}/photo/${item.id}`
      : `https://photos.google.com/lr/photo/${item.id}`,
    baseUrl: baseUrlOf(ctx, item, ttlSec),
    mimeType: item.mimeType,
    mediaMetadata: metadata,
    filename: item.filename,
  };
  if (item.description !== undefined) json['description'] = item.description;
  return json;
}

export function albumJson(ctx: EmulatorContext, album: LibraryAlbum, ttlSec: number): Record<string, unknown> {
  const items = album.itemIds.map((id) => ctx.itemById(id)).filter((it): it is LibraryItem => it !== undefined);
  const json: Record<string, unknown> = {
    id: album.id,
    title: album.title,
    productUrl: `https://photos.google.com/lr/album/${album.id}`,
    isWriteable: true,
  };
  // proto3 JSON drops zero int64s: an empty album has no mediaItemsCount and no cover.
  if (items.length > 0) json['mediaItemsCount'] = String(items.length);
  const cover = items[0];
  if (cover) {
    json['coverPhotoBaseUrl'] = baseUrlOf(ctx, cover, ttlSec);
    json['coverPhotoMediaItemId'] = cover.id;
  }
  return json;
}
