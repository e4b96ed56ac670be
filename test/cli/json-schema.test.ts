// The --json schema as data (src/cli/render/json-schema.ts): written out as docs/json-schema.json, explained event by
// event in docs/json.md, and in step with the TS event types (a typed sample of every kind, through the real writer).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createImportJsonRenderer, createJsonRenderer, createWatchJsonRenderer, jsonLine } from '../../src/cli/render/json.js';
import { JSON_SCHEMA, STREAM_EVENTS } from '../../src/cli/render/json-schema.js';
import { ROOT } from '../helpers/cli.js';
import { IMPORT_SAMPLES, RESULT_SAMPLES, SYNC_SAMPLES, WATCH_SAMPLES } from './json-samples.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(JSON_SCHEMA, 'gphotos');

function check(stream: string, line: string): string | undefined {
  const e = JSON.parse(line) as { event: string };
  const v = ajv.getSchema(`gphotos#/$defs/${stream}.${e.event}`);
  if (v === undefined) return `no ${stream}.${e.event} in the schema`;
  return v(e) ? undefined : `${stream}.${e.event}: ${ajv.errorsText(v.errors)}: ${line}`;
}

/** What each stream's writer prints for these samples. */
function rendered(): Record<string, string[]> {
  const collect = (fn: (write: (l: string) => void) => void): string[] => {
    const out: string[] = [];
    fn((l) => out.push(l));
    return out;
  };
  return {
    sync: collect((w) => Object.values(SYNC_SAMPLES).forEach(createJsonRenderer(w))),
    import: collect((w) => Object.values(IMPORT_SAMPLES).forEach(createImportJsonRenderer(w))),
    watch: collect((w) => Object.values(WATCH_SAMPLES).forEach(createWatchJsonRenderer(w))),
    result: Object.values(RESULT_SAMPLES).map((e) => jsonLine(e)),
  };
}

describe('the --json schema', () => {
  it('is written out as docs/json-schema.json (GPHOTOS_WRITE_SCHEMA=1 rewrites it) and compiles in strict mode', async () => {
    const text = JSON.stringify(JSON_SCHEMA, null, 2) + '\n';
    const file = join(ROOT, 'docs/json-schema.json');
    if (process.env.GPHOTOS_WRITE_SCHEMA === '1') await writeFile(file, text);
    expect(await readFile(file, 'utf8'), 'docs/json-schema.json is stale: run GPHOTOS_WRITE_SCHEMA=1 npx vitest run test/cli/json-schema.test.ts').toBe(text);
    expect(ajv.getSchema('gphotos')).toBeDefined();
  });

  it('has exactly the event kinds of the TS unions, stream by stream', () => {
    const kinds = (o: object): string[] => Object.keys(o).filter((k) => k !== 'error').sort();
    expect([...STREAM_EVENTS.sync!].sort()).toEqual(kinds(SYNC_SAMPLES));
    expect([...STREAM_EVENTS.import!].sort()).toEqual(kinds(IMPORT_SAMPLES));
    expect([...STREAM_EVENTS.watch!].sort()).toEqual(kinds(WATCH_SAMPLES));
    expect([...STREAM_EVENTS.result!].sort()).toEqual(kinds(RESULT_SAMPLES));
  });

  it('accepts every typed sample as the real writers print it, each line versioned', () => {
    for (const [stream, lines] of Object.entries(rendered())) {
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) {
        expect(check(stream, line)).toBeUndefined();
        expect(line).toMatch(/^\{"v":1,"event":"[a-z-]+",.*\}\n$/);
      }
    }
  });

  it('leaves out the events that are for the text output only (byte ticks, the prompt to pick)', () => {
    const out: string[] = [];
    const sink = createJsonRenderer((l) => out.push(l));
    sink({ event: 'progress', bytes: 10 });
    sink({ event: 'picker-waiting' });
    expect(out).toEqual([]);
  });

  it('refuses a line with a missing field, an unknown field, a wrong type or another version', () => {
    const ok = jsonLine(SYNC_SAMPLES.downloaded);
    expect(check('sync', ok)).toBeUndefined();
    const e = JSON.parse(ok) as Record<string, unknown>;
    const variants: Record<string, unknown>[] = [
      { ...e, path: undefined },
      { ...e, extra: 1 },
      { ...e, bytes: '10' },
      { ...e, v: 2 },
      { ...e, dateSource: 'guess' },
    ];
    for (const bad of variants) expect(check('sync', JSON.stringify(bad)), JSON.stringify(bad)).toMatch(/sync\.downloaded/);
    expect(check('import', ok)).toMatch(/import\.downloaded/);
  });
});

describe('docs/json.md', () => {
  /** `### \`name\`` sections under each `<!-- stream: NAME -->` heading. */
  async function sections(): Promise<Map<string, string>> {
    const md = await readFile(join(ROOT, 'docs/json.md'), 'utf8');
    const out = new Map<string, string>();
    let stream = '';
    let current: string | undefined;
    for (const line of md.split('\n')) {
      const s = /^<!-- stream: ([a-z*]+) -->/.exec(line);
      if (s) stream = s[1]!;
      const h = /^### `([a-z-]+)`/.exec(line);
      if (h) {
        current = `${stream}.${h[1]}`;
        out.set(current, '');
      } else if (/^##? /.test(line)) current = undefined;
      else if (current !== undefined) out.set(current, out.get(current) + line + '\n');
    }
    return out;
  }

  function fieldNames(schema: unknown, into = new Set<string>()): Set<string> {
    if (typeof schema !== 'object' || schema === null) return into;
    const s = schema as { properties?: Record<string, unknown>; items?: unknown };
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if (k !== 'v' && k !== 'event') into.add(k);
      fieldNames(v, into);
    }
    if (s.items !== undefined) fieldNames(s.items, into);
    return into;
  }

  it('explains every event of every stream and names each of its fields', async () => {
    const docs = await sections();
    const defs = JSON_SCHEMA.$defs as Record<string, unknown>;
    const problems: string[] = [];
    for (const [stream, names] of Object.entries(STREAM_EVENTS)) {
      for (const name of names) {
        const text = docs.get(`${stream}.${name}`);
        if (text === undefined) {
          problems.push(`no "### \`${name}\`" under <!-- stream: ${stream} -->`);
          continue;
        }
        for (const f of fieldNames(defs[`${stream}.${name}`])) if (!text.includes(`\`${f}\``)) problems.push(`${stream}.${name}: field \`${f}\` not named`);
      }
    }
    const error = docs.get('*.error');
    if (error === undefined) problems.push('no "### `error`" under <!-- stream: * -->');
    else for (const f of fieldNames(defs['sync.error'])) if (!error.includes(`\`${f}\``)) problems.push(`error: field \`${f}\` not named`);
    for (const key of docs.keys()) {
      const [stream, name] = key.split('.');
      if (stream !== '*' && !STREAM_EVENTS[stream!]?.includes(name!)) problems.push(`docs/json.md documents ${key}, which the schema does not have`);
    }
    expect(problems).toEqual([]);
  });
});
