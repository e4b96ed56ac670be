// Options every command accepts (-v), set once by main.ts before the command runs, so renderers see them
// without each command threading them through.
export const globalFlags = { verbose: false };
