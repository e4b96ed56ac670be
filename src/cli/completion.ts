// `gphotos completion`: yargs' own bash/zsh completion script (zsh when $SHELL is zsh). The script asks
// `gphotos --get-yargs-completions …`, which main.ts answers with every command loaded (it loads only the named
// command's module otherwise, and `--get-yargs-completions` names none), so command names and options complete.
import type { Argv } from 'yargs';

export function withCompletion<T>(cli: Argv<T>): Argv<T> {
  return cli.completion('completion', 'Print a bash or zsh completion script (see docs/configuration.md)');
}
