// The baseline for `npm run bench:sync`: the least a client must do to copy a Library, run as its own process
// like gphotos and rclone. List every page with one token, then GET each item's `=d` (photo) or `=dv` (video),
// BENCH_MIN_CONCURRENCY (32) at a time, into OUT/<id>, fsync each file. No hashing, no manifest, no names, no dates.
// Same HTTP stack as gphotos (Node's fetch), so the difference between them is what gphotos does on top.
//
//   node minimal-client.js LIBRARY_URL OUT_DIR     (the access token in BENCH_MIN_TOKEN)
// Prints one JSON line: { listed, files, bytes, failed, listMs, wallMs }.
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

interface Page {
  mediaItems?: Array<{ id?: string; baseUrl?: string; mimeType?: string; mediaMetadata?: { video?: { status?: string } } }>;
  nextPageToken?: string;
}

const [libraryUrl, out] = process.argv.slice(2);
const token = process.env.BENCH_MIN_TOKEN;
if (libraryUrl === undefined || out === undefined || token === undefined) {
  process.stderr.write('usage: BENCH_MIN_TOKEN=TOKEN node minimal-client.js LIBRARY_URL OUT_DIR\n');
  process.exit(2);
}
const concurrency = Number(process.env.BENCH_MIN_CONCURRENCY ?? 32);
const t0 = performance.now();
const auth = { authorization: `Bearer ${token}` };

const urls: Array<{ id: string; url: string }> = [];
let listed = 0;
let pageToken: string | undefined;
do {
  const q = pageToken === undefined ? '' : `&pageToken=${encodeURIComponent(pageToken)}`;
  const res = await fetch(`${libraryUrl}/v1/mediaItems?pageSize=100${q}`, { headers: auth });
  if (!res.ok) throw new Error(`list: HTTP ${res.status}: ${await res.text()}`);
  const page = (await res.json()) as Page;
  for (const m of page.mediaItems ?? []) {
    listed++;
    if (m.id === undefined || m.baseUrl === undefined) continue;
    const video = m.mimeType?.startsWith('video/') === true;
    // A video Google is still processing has no bytes yet: every client skips it.
    if (video && m.mediaMetadata?.video?.status !== undefined && m.mediaMetadata.video.status !== 'READY') continue;
    urls.push({ id: m.id, url: m.baseUrl + (video ? '=dv' : '=d') });
  }
  pageToken = page.nextPageToken || undefined;
} while (pageToken !== undefined);
const listMs = performance.now() - t0;

await mkdir(out, { recursive: true });
let next = 0;
let files = 0;
let bytes = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < urls.length) {
      const { id, url } = urls[next++]!;
      const res = await fetch(url);
      if (!res.ok || res.body === null) {
        await res.body?.cancel();
        failed++;
        continue;
      }
      const fh = await open(join(out, id), 'w');
      try {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          await fh.write(chunk);
          bytes += chunk.byteLength;
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      files++;
    }
  }),
);
process.stdout.write(`${JSON.stringify({ listed, files, bytes, failed, listMs: Math.round(listMs), wallMs: Math.round(performance.now() - t0) })}\n`);
