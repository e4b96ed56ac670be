// The layer rules in eslint.config.js must reject an import that crosses a layer the wrong way, and only that:
// each fixture is linted as if it were a file at that path in src/.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, from: string): Promise<string[]> {
  const [r] = await eslint.lintText(`import { x } from '${from}';\nexport const y = x;\n`, { filePath });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['src/core/plan.ts', '../engine/apply.js', /src\/core is pure/],
    ['src/core/plan.ts', 'node:fs', /src\/core is pure/],
    ['src/sources/takeout/catalog.ts', '../../engine/apply.js', /never reach up/],
    ['src/archive/writer.ts', '../watch/watch-loop.js', /never reach up/],
    ['src/engine/apply.ts', '../cli/main.js', /never reaches up/],
    ['src/watch/watch-loop.ts', '../cli/render/format.js', /CLI renders its events/],
    ['src/emulator/rpc.ts', '../errors.js', /imports nothing from the product/],
    ['src/emulator/media/jpeg.ts', '../../core/plan.js', /imports nothing from the product/],
    ['src/cli/commands/sync.ts', '../../emulator/server.js', /Only `gphotos emulator`/],
    ['src/engine/apply.ts', '../emulator/server.js', /never reaches up/],
  ])('%s may not import %s', { timeout: 60_000 }, async (file, from, why) => {
    const errors = await layerErrors(file, from);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(why);
  });

  it.each([
    ['src/engine/apply.ts', '../archive/writer.js'],
    ['src/cli/commands/emulator.ts', '../../emulator/server.js'],
    ['src/watch/watch-loop.ts', '../engine/sync-run.js'],
    ['src/sources/library/library-source.ts', '../../google/api-client.js'],
    ['src/core/plan.ts', '../errors.js'],
  ])('%s may import %s', { timeout: 60_000 }, async (file, from) => {
    expect(await layerErrors(file, from)).toEqual([]);
  });
});
