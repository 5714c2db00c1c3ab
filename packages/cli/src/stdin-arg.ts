/**
 * yargs drops a lone '-' argument, so `linreg fit - -y y` would lose its
 * input. main() swaps '-' for this sentinel before parsing, and commands
 * that accept stdin swap it back.
 */
export const STDIN_SENTINEL = '\u0000stdin';

export const protectStdin = (argv: readonly string[]): string[] =>
  argv.map((a) => (a === '-' ? STDIN_SENTINEL : a));

export const restoreStdin = (inputs: readonly string[]): string[] =>
  inputs.map((a) => (a === STDIN_SENTINEL ? '-' : a));
