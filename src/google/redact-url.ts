// Labels for URLs in messages and retry events. Queries can carry tokens (access_token=…) and baseUrl
// paths are capability URLs (anyone holding one can fetch the photo), so neither is shown in full.

/** Path without query or fragment, with long opaque segments shortened: '/lr/AGWb-e5y…=d'. */
export function redactUrl(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/, 1)[0] ?? '';
  }
  return path
    .split('/')
    .map((seg) => (seg.length > 24 ? `${seg.slice(0, 8)}…${suffixOf(seg)}` : seg))
    .join('/');
}

// Keep the '=d' / '=dv' size suffix visible: it says which kind of download failed.
function suffixOf(segment: string): string {
  const eq = segment.lastIndexOf('=');
  return eq >= 0 && segment.length - eq <= 16 ? segment.slice(eq) : '';
}
