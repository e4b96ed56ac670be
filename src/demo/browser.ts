// The demo's stand-in for a web browser: `BROWSER` runs it with the consent URL. It follows the
// emulator's redirect to gphotos' loopback server, exactly as a browser would after the user clicks "Allow".
const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: browser URL\n');
  process.exitCode = 2;
} else {
  const res = await fetch(url, { redirect: 'follow' });
  await res.text();
}
