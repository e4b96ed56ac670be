// Pick the renderer for this run: NDJSON with --json, else text (a progress line when stderr is a terminal).
import type { PickEvent } from '../engine/pick-events.js';
import { createJsonRenderer } from './render/json.js';
import { globalFlags } from './global-flags.js';
import { createTextRenderer } from './render/text.js';

export function createOutput(o: { json: boolean; quiet: boolean; verbose?: boolean; archiveLabel: string; label?: string }): { sink: (e: PickEvent) => void; close: () => void } {
  if (o.json) return { sink: createJsonRenderer((l) => process.stdout.write(l)), close: () => {} };
  return createTextRenderer({
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    tty: process.stderr.isTTY === true,
    columns: () => process.stderr.columns ?? 80,
    quiet: o.quiet,
    verbose: o.verbose ?? globalFlags.verbose,
    now: () => Date.now(),
    archiveLabel: o.archiveLabel,
    ...(o.label === undefined ? {} : { label: o.label }),
    onResize: (redraw) => {
      process.stderr.on('resize', redraw);
      return () => void process.stderr.off('resize', redraw);
    },
  });
}
