// `npm run demo`: the whole story on one emulated library, with no Google account and no network. Starts the
// emulator, signs in through the real loopback OAuth flow, syncs ./demo-archive (API copies), picks a few items in
// the Picker (already archived: linked, not downloaded), imports the library's own Takeout export (the API copies
// become originals in place), proves the archive complete, and syncs once more (nothing to do).
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { startEmulator } from '../emulator/server.js';
import { writeTakeoutExport } from '../emulator/takeout-export.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, '../../bin/gphotos.js');
const archive = resolve(process.cwd(), 'demo-archive');
const items = Number(process.env.DEMO_ITEMS ?? 300);

const emulator = await startEmulator({ items, seed: 7 });
const config = await mkdtemp(join(tmpdir(), 'gphotos-demo-config-'));
try {
  const secretFile = join(config, 'downloaded_client_secret.json');
  await writeFile(secretFile, JSON.stringify(emulator.clientSecretJson));
  const env = {
    ...process.env,
    ...emulator.env,
    GPHOTOS_CONFIG_DIR: join(config, 'gphotos'),
    BROWSER: `${JSON.stringify(process.execPath)} ${JSON.stringify(join(here, 'browser.js'))}`,
  };
  const run = async (title: string, args: string[]): Promise<void> => {
    process.stdout.write(`\n$ gphotos ${args.join(' ')}    # ${title}\n`);
    const r = await execa(process.execPath, [cli, ...args], { env, stdout: 'inherit', stderr: 'inherit', reject: false });
    if (r.exitCode !== 0) process.stdout.write(`(exit code ${r.exitCode})\n`);
  };

  process.stdout.write(`Emulator on 127.0.0.1:${emulator.port} with ${emulator.items.length} items (a local stand-in for Google).\n`);
  await rm(archive, { recursive: true, force: true });
  await run('sign in: the emulator plays the consent screen', ['auth', 'login', '--client-secret', secretFile]);
  await run('first sync: downloads everything the Library API lists (API copies: no GPS)', ['sync', archive]);
  // The emulated user picks three photos in Google's picker: the archive has them already, so they are linked.
  const picked = emulator.items.filter((i) => i.kind === 'photo').slice(0, 3).map((i) => i.id);
  Object.assign(emulator.picker, { autoPick: picked, pollsBeforeDone: 1, pollIntervalSec: 0.05 });
  await run('pick: three items chosen in the Picker, recorded, not downloaded again', ['pick', archive, '--no-browser']);
  const takeout = await writeTakeoutExport(emulator, { outDir: join(config, 'Downloads'), format: 'zip', maxPartBytes: 4 * 2 ** 20 });
  await run('import the Takeout export of the same library: originals replace the API copies in place', ['import', archive, ...takeout.files]);
  await run('verify: every file on disk with its size and SHA-256', ['verify', archive, '--deep']);
  await run('sync again: nothing new, nothing downgraded', ['sync', archive]);
  const files = (await listFiles(archive)).filter((f) => !f.startsWith('.gphotos'));
  process.stdout.write(`\n${archive} now holds ${files.length} photos and videos, for example:\n`);
  for (const f of files.slice(0, 8)) process.stdout.write(`  ${f}\n`);
  process.stdout.write(`Manifest: ${relative(process.cwd(), join(archive, '.gphotos', 'manifest.json'))}\n`);
} finally {
  await emulator.stop();
  await rm(config, { recursive: true, force: true });
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.push(relative(root, join(e.parentPath, e.name)));
  }
  return out.sort();
}
