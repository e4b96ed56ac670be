// The flags several commands take, declared once: a flag has the same name, type, default and check in every
// command that takes it. A command spreads the ones it takes into `y.options({...})`, in its help's order, and
// extends the matching *Args types. The values are checked once, before any command runs (checkSharedOptions,
// called by command-setup.ts after the archive's stored settings are bound), so no handler checks them again.
import { DEFAULT_LAYOUT, compileLayout } from '../core/layout.js';
import { validateTimeZone } from '../core/local-time.js';
import { UsageError } from '../errors.js';

export const DEFAULT_TRANSFERS = 32;
export const MAX_TRANSFERS = 64;

/** This machine's time zone, the default of --tz (UTC where the runtime knows none). */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** DIR: `create` for the commands that make the archive when it is missing (archive-dir.ts checks either way). */
export function archiveDirPositional(use: 'create' | 'existing') {
  return { type: 'string', demandOption: true, describe: use === 'create' ? 'The archive folder (created if missing)' : 'The archive folder' } as const;
}

export interface ArchiveArgs {
  dir: string;
}

export const ONE_JSON_OBJECT = 'Print one JSON object';
export const NDJSON_WITH_SUMMARY = 'Print NDJSON events; the last line is the summary';

export function jsonOption(describe: string) {
  return { json: { type: 'boolean', default: false, describe } } as const;
}

export interface JsonArgs {
  json: boolean;
}

/** What --quiet still prints differs by command, so each says it. */
export function quietOption(describe: string) {
  return { quiet: { alias: 'q', type: 'boolean', default: false, describe } } as const;
}

export interface QuietArgs {
  quiet: boolean;
}

export function dryRunOption(describe = 'Print the plan and change nothing') {
  return { 'dry-run': { type: 'boolean', default: false, describe } } as const;
}

export interface DryRunArgs {
  'dry-run': boolean;
}

export function layoutOption(describe = 'Folder template: {yyyy}, {mm}, {dd}') {
  return { layout: { type: 'string', default: DEFAULT_LAYOUT, describe } } as const;
}

/** Which times the zone applies to differs by command (EXIF without an offset, API times, Takeout times). */
export function tzOption(describe: string) {
  return { tz: { type: 'string', default: localZone(), describe } } as const;
}

export function xmpOption() {
  return {
    xmp: { type: 'boolean', default: true, describe: 'Write an XMP sidecar (NAME.EXT.xmp) beside each file for other photo tools (--no-xmp: none); the archive remembers the choice' },
  } as const;
}

export function setMtimeOption() {
  return { 'set-mtime': { type: 'boolean', default: true, describe: "Set each file's mtime to its capture time (--no-set-mtime: the time it was written)" } } as const;
}

/** Where and how the files a command brings in are filed: the settings an archive remembers, and mtimes. */
export function filingOptions(tzDescribe: string) {
  return { ...layoutOption(), ...tzOption(tzDescribe), ...xmpOption(), ...setMtimeOption() } as const;
}

export interface FilingArgs {
  layout: string;
  tz: string;
  xmp: boolean;
  'set-mtime': boolean;
}

export function mediaOption() {
  return { media: { choices: ['all', 'photos', 'videos'] as const, default: 'all' as const, describe: 'Which media to archive' } } as const;
}

export interface MediaArgs {
  media: 'all' | 'photos' | 'videos';
}

export function transfersOption(describe = 'Downloads in parallel', defaultValue = DEFAULT_TRANSFERS) {
  return { transfers: { type: 'number', default: defaultValue, describe } } as const;
}

export interface TransfersArgs {
  transfers: number;
}

/**
 * The one check of the shared values a command runs with (after the archive's stored settings replaced the
 * defaults): a bad one is a usage error before anything is opened. `config` checks its new values as it stores them.
 */
export function checkSharedOptions(args: Record<string, unknown>): void {
  if (typeof args.tz === 'string') validateTimeZone(args.tz);
  if (typeof args.layout === 'string') compileLayout(args.layout);
  const transfers = args.transfers;
  if (typeof transfers === 'number' && (!Number.isInteger(transfers) || transfers < 1 || transfers > MAX_TRANSFERS)) {
    throw new UsageError(`--transfers must be a whole number from 1 to ${MAX_TRANSFERS}, not ${String(transfers)}.`);
  }
}
