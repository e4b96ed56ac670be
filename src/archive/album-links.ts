// Album views: albums/<album title>/<file> as relative symlinks into the dated tree, so an album costs no
// space and the archive can be moved or copied whole. Rebuilt from the manifest, idempotently: a link that
// already points at its item is kept, and nothing that is not a symlink is ever touched.
import { lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { posix } from 'node:path';
import { safeFilename } from '../core/names.js';
import { PathRegistry } from '../core/placement.js';
import type { ManifestItem } from '../core/types.js';
import { messageOf } from '../errors.js';
import { resolveInside } from './paths.js';

export const ALBUMS_DIR = 'albums';

export interface AlbumLinkResult {
  created: number;
  kept: number;
  failures: { path: string; error: string }[];
}

export async function writeAlbumLinks(archiveDir: string, items: Iterable<ManifestItem>): Promise<AlbumLinkResult> {
  const byAlbum = new Map<string, ManifestItem[]>();
  for (const item of items) {
    for (const title of item.albums ?? []) {
      const dir = safeFilename(title);
      byAlbum.set(dir, [...(byAlbum.get(dir) ?? []), item]);
    }
  }
  const result: AlbumLinkResult = { created: 0, kept: 0, failures: [] };
  for (const [dirName, members] of [...byAlbum].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rel = `${ALBUMS_DIR}/${dirName}`;
    try {
      const abs = resolveInside(archiveDir, `${rel}/x`).slice(0, -2);
      await mkdir(abs, { recursive: true });
      const { registry, linked } = await existingLinks(abs, rel);
      for (const item of [...members].sort((a, b) => (a.path < b.path ? -1 : 1))) {
        const target = posix.relative(rel, item.path);
        if (linked.has(target)) {
          result.kept++;
          continue;
        }
        const link = registry.claim(rel, safeFilename(posix.basename(item.path)));
        try {
          await symlink(target, resolveInside(archiveDir, link));
          linked.add(target);
          result.created++;
        } catch (e) {
          result.failures.push({ path: link, error: messageOf(e) });
        }
      }
    } catch (e) {
      result.failures.push({ path: rel, error: messageOf(e) });
    }
  }
  return result;
}

/** Names taken in an album folder, and the targets its symlinks already point at. */
async function existingLinks(abs: string, rel: string): Promise<{ registry: PathRegistry; linked: Set<string> }> {
  const registry = new PathRegistry();
  const linked = new Set<string>();
  for (const name of await readdir(abs)) {
    registry.reserve(`${rel}/${name}`);
    const full = join(abs, name);
    if ((await lstat(full)).isSymbolicLink()) linked.add(await readlink(full));
  }
  return { registry, linked };
}
