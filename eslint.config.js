// Type-checked lint rules, and the layers of src/ (an import across them the wrong way fails lint).
import tseslint from 'typescript-eslint';

const LAYERS = ['cli', 'watch', 'report', 'engine', 'sources', 'archive', 'google', 'auth', 'config', 'core', 'emulator', 'demo'];

/** One no-restricted-imports entry per layer: every other layer is forbidden (as `../x/...` at any depth). */
function layers(table) {
  return Object.entries(table).map(([files, l]) => {
    const banned = LAYERS.filter((x) => !l.below.includes(x));
    const group = [...banned.flatMap((x) => [`../${x}/*`, `**/../${x}/*`]), ...(l.pure ? ['node:*'] : []), ...(l.noErrors ? ['**/errors.js'] : [])];
    return {
      files: [files],
      ...(l.except ? { ignores: l.except } : {}),
      rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message: l.why }] }] },
    };
  });
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'demo-archive/**', 'bin/**', '.dbg/**', '.bench-build/**', 'eslint.config.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='exit']",
          message: 'Only src/cli may exit the process.',
        },
      ],
    },
  },
  {
    files: ['src/cli/**', 'test/**', 'bench/**', 'src/demo/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  // The layers, each importing only from those below it (docs/architecture.md draws them):
  //   cli -> watch, report -> engine -> sources, archive, google, auth -> config, core -> errors.ts
  // The emulator stands apart: it imports nothing from the product, and only `gphotos emulator` and the demo import it.
  ...layers({
    'src/core/**': { below: ['core'], pure: true, why: 'src/core is pure: no I/O and no other layer.' },
    'src/config/**': { below: ['config', 'core'], why: 'src/config holds paths and endpoints only.' },
    'src/{sources,archive,google,auth}/**': { below: ['sources', 'archive', 'google', 'auth', 'config', 'core'], why: 'sources, archive, google and auth are what the engine drives: they never reach up into it.' },
    'src/engine/**': { below: ['engine', 'sources', 'archive', 'google', 'auth', 'config', 'core'], why: 'The engine never reaches up into watch or the CLI.' },
    'src/watch/**': { below: ['watch', 'engine', 'sources', 'archive', 'google', 'auth', 'config', 'core'], why: 'watch is a loop over the engine; the CLI renders its events.' },
    'src/report/**': { below: ['report', 'engine', 'sources', 'archive', 'google', 'auth', 'config', 'core'], why: 'The report reads what the engine and the archive know; the CLI and watch call it.' },
    'src/cli/**': { below: ['cli', 'watch', 'report', 'engine', 'sources', 'archive', 'google', 'auth', 'config', 'core'], why: 'Only `gphotos emulator` imports the emulator.', except: ['src/cli/commands/emulator.ts'] },
    'src/emulator/**': { below: ['emulator'], noErrors: true, why: 'The emulator imports nothing from the product.' },
  }),
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
