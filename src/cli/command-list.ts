// What `gphotos --help` lists, without loading any command's module (each pulls in its own dependency graph:
// OAuth, zip and tar readers, file watching…; loading them all took ~0.3 s). main.ts loads the module of a
// command that is named; test/cli/command-list.test.ts checks that these lines match the modules.
export interface CommandLine {
  command: string;
  describe: string;
}

export const COMMAND_LINES: Readonly<Record<string, CommandLine>> = {
  sync: { command: 'sync <dir>', describe: 'Download what the archive is missing from the Library API' },
  pick: { command: 'pick <dir>', describe: 'Pick photos in Google Photos (Picker) and archive them' },
  import: { command: 'import <dir> <takeout..>', describe: 'Add Google Takeout exports (.zip, .tgz or extracted folders) to the archive' },
  verify: { command: 'verify <dir>', describe: 'Check that every archived file is on disk with its size (--deep: and its SHA-256)' },
  status: { command: 'status <dir>', describe: 'Explain drift between Google (--remote), the manifest and the files on disk; changes nothing' },
  rebuild: { command: 'rebuild <dir>', describe: 'Rebuild a lost or damaged manifest from the files on disk (the damaged one is kept)' },
  xmp: { command: 'xmp <dir>', describe: 'Write or refresh the XMP sidecar (NAME.EXT.xmp) of every archived file, for digiKam, Immich, PhotoPrism and darktable' },
  adopt: { command: 'adopt <dir> <from..>', describe: "Record photos already on disk (another tool's download) as archived, matching them to Google's items" },
  watch: { command: 'watch <dir>', describe: 'Keep the archive in sync: a sync every --interval and on local changes, plus a Takeout inbox' },
  auth: { command: 'auth <command>', describe: 'Sign in to Google Photos, show or remove the saved sign-in' },
  config: { command: 'config <dir>', describe: "Show or change the archive's settings (layout, time zone, XMP sidecars) that every command uses" },
  report: { command: 'report <dir>', describe: 'Write an offline HTML page of the archive: a timeline by month, its holes, previews, albums and health' },
  doctor: { command: 'doctor [dir]', describe: 'Check that the login works (a real token refresh) and the archive is healthy; changes nothing' },
  emulator: { command: 'emulator', describe: 'Run a local, faithful Google Photos emulator (for tests and demos)' },
};
