// `gphotos completion`: yargs' own bash/zsh completion script (zsh when $SHELL is zsh). The script asks
// `gphotos --get-yargs-completions …`: command names complete from main.ts's help lines (command-list.ts), and a
// command's options once it is named (main.ts then loads its module).
import type { Argv } from 'yargs';

export function withCompletion<T>(cli: Argv<T>): Argv<T> {
  return cli.completion('completion', 'Print a bash or zsh completion script (see docs/configuration.md)');
}
