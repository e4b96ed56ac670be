// Takeout's JSON sidecars (reference/google-photos-api.md §4.3) -> plain metadata. The JSON is untrusted
// wire data: every field is checked, and a malformed sidecar is an error value the caller reports.

export interface Gps {
  latitude: number;
  longitude: number;
  altitude?: number;
}

export interface SidecarMeta {
  title: string;
  /** photoTakenTime, Unix seconds (UTC). */
  takenSec?: number;
  description?: string;
  gps?: Gps;
  favorite?: boolean;
  archived?: boolean;
  trashed?: boolean;
  people?: string[];
  url?: string;
}

export interface AlbumMeta {
  title: string;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function seconds(x: unknown): number | undefined {
  if (!isObject(x)) return undefined;
  const t = x['timestamp'];
  const n = typeof t === 'string' && /^-?\d{1,12}$/.test(t) ? Number(t) : typeof t === 'number' ? t : NaN;
  // 0 is what Google writes when it knows nothing.
  return Number.isSafeInteger(n) && n !== 0 ? n : undefined;
}

function gpsOf(x: unknown): Gps | undefined {
  if (!isObject(x)) return undefined;
  const { latitude: lat, longitude: lon, altitude: alt } = x;
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  if (lat === 0 && lon === 0) return undefined; // 0/0 means "no data"
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  return { latitude: lat, longitude: lon, ...(typeof alt === 'number' && Number.isFinite(alt) && alt !== 0 ? { altitude: alt } : {}) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
}

/** A media sidecar, or a string saying why it is not one. */
export function parseSidecar(text: string): SidecarMeta | string {
  const j = parseJson(text);
  if (!isObject(j)) return 'not a JSON object';
  if (typeof j['title'] !== 'string' || j['title'] === '') return 'no "title"';
  if (!isObject(j['photoTakenTime']) && !isObject(j['creationTime'])) return 'no "photoTakenTime"';
  const takenSec = seconds(j['photoTakenTime']);
  const people = Array.isArray(j['people'])
    ? j['people'].flatMap((p) => (isObject(p) && typeof p['name'] === 'string' && p['name'] !== '' ? [p['name']] : []))
    : [];
  // The user may have corrected the place in Google Photos (geoData); the camera's is geoDataExif.
  const gps = gpsOf(j['geoData']) ?? gpsOf(j['geoDataExif']);
  const description = typeof j['description'] === 'string' && j['description'].trim() !== '' ? j['description'] : undefined;
  return {
    title: j['title'],
    ...(takenSec === undefined ? {} : { takenSec }),
    ...(description === undefined ? {} : { description }),
    ...(gps === undefined ? {} : { gps }),
    ...(j['favorited'] === true ? { favorite: true } : {}),
    ...(j['archived'] === true ? { archived: true } : {}),
    ...(j['trashed'] === true ? { trashed: true } : {}),
    ...(people.length > 0 ? { people } : {}),
    ...(typeof j['url'] === 'string' && j['url'].startsWith('https://') ? { url: j['url'] } : {}),
  };
}

/** An album folder's metadata.json (older exports nest it under "albumdata"). */
export function parseAlbumMeta(text: string): AlbumMeta | undefined {
  const j = parseJson(text);
  if (!isObject(j)) return undefined;
  const body = isObject(j['albumdata']) ? j['albumdata'] : j;
  const title = body['title'];
  // A media sidecar also has a title; an album's has no capture time.
  if (typeof title !== 'string' || title.trim() === '' || 'photoTakenTime' in body) return undefined;
  return { title };
}
