/**
 * Every `linreg` command as a small descriptor: its yargs command string and
 * one-line description (all the top-level `--help` shows) and a loader for the
 * module that builds its options and runs it. main() imports only the module
 * of the command being run, so `linreg --help`, `--version` and a command's
 * start-up never load core, Arrow, Parquet or `@stdlib` for the other
 * commands. The strings must equal the modules' own (a test compares them).
 */
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';

/** A command module factory with its argument type erased for the registry. */
export type CommandFactory = (ctx: CommandContext) => CommandModule;

/**
 * Erase a command's argument type. yargs' CommandModule is contravariant in
 * its arguments through `handler`, so modules with different argument shapes
 * cannot share one array type; each module is typed on its own.
 */
const erase = <A>(factory: (ctx: CommandContext) => CommandModule<object, A>): CommandFactory =>
  factory as unknown as CommandFactory;

export interface CommandDescriptor {
  /** The command's name: the first word of `command`. */
  readonly name: string;
  readonly command: string;
  readonly describe: string;
  /** Import the command's module and return its factory. */
  readonly load: () => Promise<CommandFactory>;
}

export const COMMANDS: readonly CommandDescriptor[] = [
  {
    name: 'fit',
    command: 'fit <inputs..>',
    describe: 'Fit a linear model (OLS / WLS / ridge) on files larger than memory',
    load: async () => erase((await import('./fit.js')).fitCommand),
  },
  {
    name: 'predict',
    command: 'predict <model> <inputs..>',
    describe: 'Predict from a saved model, writing one output row per input row, in order',
    load: async () => erase((await import('./predict.js')).predictCommand),
  },
  {
    name: 'score',
    command: 'score <model> <inputs..>',
    describe: 'Score a saved model on held-out data: n, RMSE, MAE, R², mean residual',
    load: async () => erase((await import('./score.js')).scoreCommand),
  },
  {
    name: 'partial',
    command: 'partial <inputs..>',
    describe: 'Compute one slice of a fit (--part i/N) as a state file for linreg merge',
    load: async () => erase((await import('./partial.js')).partialCommand),
  },
  {
    name: 'merge',
    command: 'merge <states..>',
    describe:
      'Merge the state files of linreg partial (any order) into the model, or the next round',
    load: async () => erase((await import('./merge.js')).mergeCommand),
  },
  {
    name: 'update',
    command: 'update <model> <inputs..>',
    describe: 'Add new rows to a model fitted with --keep-state (equal to a refit on all rows)',
    load: async () => erase((await import('./update.js')).updateCommand),
  },
  {
    name: 'summary',
    command: 'summary <model>',
    describe: 'Print the summary table of a saved model',
    load: async () => erase((await import('./summary.js')).summaryCommand),
  },
  {
    name: 'anova',
    command: 'anova <small> [big]',
    describe:
      "One model's per-term ANOVA table (R's anova(fit)), or two nested saved models compared by an F test (R's anova(m1, m2))",
    load: async () => erase((await import('./anova.js')).anovaCommand),
  },
  {
    name: 'inspect',
    command: 'inspect <inputs..>',
    describe: 'Show the schema, row counts and work units of input files',
    load: async () => erase((await import('./inspect.js')).inspectCommand),
  },
  {
    name: 'gen',
    command: 'gen <dir>',
    describe: 'Generate a synthetic data set y = b + Xβ + ε (seeded)',
    load: async () => erase((await import('./gen.js')).genCommand),
  },
  {
    name: 'demo',
    command: 'demo',
    describe: 'Generate a data set, fit it end to end, then explain the collinear toy example',
    load: async () => erase((await import('./demo.js')).demoCommand),
  },
];

/**
 * The command a command line runs: its first word that is not an option.
 * The top level has only flags without values (`--help`, `--version`), so
 * this is the word yargs will dispatch on.
 */
export function invokedCommand(argv: readonly string[]): CommandDescriptor | undefined {
  const word = argv.find((a) => !a.startsWith('-'));
  return COMMANDS.find((c) => c.name === word);
}
