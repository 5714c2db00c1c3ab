/**
 * The option table and what is generated from it: the resolver (defaults,
 * one SpecError per bad value naming the option, solver restrictions) and the
 * CLI's yargs definitions and argument mapping. Every test enumerates the
 * table, so a new option is covered without touching this file.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { SpecError } from '@linreg/errors';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { main } from '../../../packages/cli/src/main.js';
import {
  flagOf,
  optionsFromArgs,
  withFlagName,
  withTableOptions,
  yargsDefinitions,
} from '../../../packages/cli/src/options.js';
import {
  type Command,
  type FitSpec,
  integer,
  type Kind,
  OPTIONS,
  type OptionDecl,
  type OptionTable,
  option,
  optionsOf,
  type ResolvedOf,
  resolveFitSpec,
  resolveOptions,
  resolvePredictSpec,
} from '../../../packages/core/src/options/index.js';

const COMMANDS: readonly Command[] = ['fit', 'predict'];
const FIT_BASE = { inputs: ['a.parquet'], target: 'y' } as const;
const MODEL = { level: 0.9, timestamps: false };

/** Resolve `input` for `command` through the public resolvers (cross-option checks included). */
function resolve(command: Command, input: Record<string, unknown>): Record<string, unknown> {
  // A formula replaces the target (giving both is an error).
  const base = input.formula === undefined ? FIT_BASE : { inputs: FIT_BASE.inputs };
  return command === 'fit'
    ? resolveFitSpec({ ...base, ...input } as FitSpec)
    : resolvePredictSpec(input, MODEL);
}

/** The base options that make `key` acceptable on its own: solver sgd for the SGD-only ones. */
function baseFor(decl: OptionDecl<unknown>): Record<string, unknown> {
  return decl.solvers !== undefined && !decl.solvers.includes('qr') ? { solver: 'sgd' } : {};
}

/** Values no option of this kind may take. */
function badValues(kind: Kind<unknown>): unknown[] {
  const r = kind.range ?? {};
  const outside = [
    ...(r.gt === undefined ? [] : [r.gt]),
    ...(r.ge === undefined ? [] : [r.ge - 0.5]),
    ...(r.lt === undefined ? [] : [r.lt]),
    ...(r.le === undefined ? [] : [r.le + 0.5]),
  ];
  switch (kind.type) {
    case 'boolean':
      return ['yes', 1, null];
    case 'integer':
      return [1.5, '3', Number.NaN, null, 2 ** 53, ...outside];
    case 'number':
      return [Number.NaN, Number.POSITIVE_INFINITY, '1', null, ...outside];
    case 'number-or-auto':
      return ['x', 'AUTO', Number.NaN, null, ...outside];
    case 'choice':
      return ['nope', 1, null];
    case 'string':
      return ['', 3, null];
    case 'columns':
      return ['a', [''], ['a', 'a'], [1], null];
    case 'paths':
      return [[], 'a', [''], null];
  }
}

/** A valid value of this kind that is not necessarily the default. */
function sample(kind: Kind<unknown>): unknown {
  const r = kind.range ?? {};
  switch (kind.type) {
    case 'boolean':
      return true;
    case 'integer':
      return r.ge ?? r.le ?? 7;
    case 'number':
    case 'number-or-auto':
      return r.gt !== undefined && r.lt !== undefined
        ? (r.gt + r.lt) / 2
        : r.gt !== undefined
          ? r.gt + 0.5
          : (r.ge ?? 0.25);
    case 'choice':
      return kind.choices?.at(-1);
    case 'string':
      // a name, or (url kinds such as s3Endpoint) an address
      return kind.problem('w') === undefined ? 'w' : 'https://w.example';
    case 'columns':
      return ['c1', 'c2'];
    case 'paths':
      return ['b.csv'];
  }
}

const cases = COMMANDS.flatMap((command) =>
  optionsOf(OPTIONS, command).map(([key, decl]) => ({ command, key, decl })),
);

describe('the table', () => {
  it('declares each option once, with help, for at least one command', () => {
    for (const [key, decl] of Object.entries(OPTIONS as OptionTable)) {
      expect(decl.help.length, key).toBeGreaterThan(5);
      expect(decl.commands.length, key).toBeGreaterThan(0);
      if (decl.cli !== false) expect(flagOf(key, decl)).toMatch(/^[a-z][a-z0-9-]*$/);
    }
    expect(Object.isFrozen(OPTIONS)).toBe(true);
  });

  it('keeps one name per quantity: the ridge penalty is `ridge`, standardize defaults to false', () => {
    const keys = Object.keys(OPTIONS);
    expect(keys).toContain('ridge');
    for (const old of ['lambda', 'l2', 'l2Scale', 'sgd']) expect(keys).not.toContain(old);
    expect(resolveFitSpec(FIT_BASE).standardize).toBe(false);
    expect(resolveFitSpec({ ...FIT_BASE, solver: 'sgd' }).standardize).toBe(false);
  });
});

describe('the resolver', () => {
  it('fills every default of fit', () => {
    const r = resolveFitSpec(FIT_BASE);
    expect(r).toMatchObject({
      inputs: ['a.parquet'],
      target: 'y',
      features: undefined,
      exclude: [],
      intercept: true,
      weights: undefined,
      solver: 'auto',
      ridge: 0,
      standardize: false,
      aliased: 'min-norm',
      missing: 'drop',
      refine: 'auto',
      level: 0.95,
      format: undefined,
      timestamps: false,
      batchRows: 65_536,
      optimizer: 'sgd',
      learningRate: undefined,
      batchSize: undefined,
      epochs: 20,
      tol: 1e-6,
      seed: 0,
      decay: 0,
      tailFraction: 0.5,
      varianceReduction: 'svrg',
      check: 'auto',
    });
    expect(r.workers).toBeGreaterThanOrEqual(1);
    expect(Object.keys(r).sort()).toEqual(
      optionsOf(OPTIONS, 'fit')
        .map(([k]) => k)
        .sort(),
    );
  });

  it('fills every default of predict, level and timestamps from the model', () => {
    const r = resolvePredictSpec({}, { level: 0.9, timestamps: true });
    expect(r).toMatchObject({
      keep: [],
      interval: 'none',
      level: 0.9,
      timestamps: true,
      format: undefined,
      outputFormat: undefined,
      batchRows: 65_536,
    });
    expect(Object.keys(r).sort()).toEqual(
      optionsOf(OPTIONS, 'predict')
        .map(([k]) => k)
        .sort(),
    );
  });

  it.each(cases)('$command: $key takes a valid value as given', ({ command, key, decl }) => {
    const value = key === 'formula' ? 'y ~ x' : sample(decl.kind);
    expect(resolve(command, { ...baseFor(decl), [key]: value })[key]).toEqual(value);
  });

  it.each(cases)(
    '$command: every bad value of $key is a SpecError naming it',
    ({ command, key, decl }) => {
      for (const bad of badValues(decl.kind)) {
        let error: unknown;
        try {
          resolve(command, { ...baseFor(decl), [key]: bad });
        } catch (e) {
          error = e;
        }
        expect(error, `${key} = ${String(bad)}`).toBeInstanceOf(SpecError);
        expect((error as SpecError).option).toBe(key);
        expect((error as SpecError).message).toMatch(
          new RegExp(`^${key}: (must be |column |at least one )`),
        );
      }
    },
  );

  it('words problems one way', () => {
    const message = (input: Record<string, unknown>) => {
      try {
        resolve('fit', input);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(message({ aliased: 'x' })).toBe('aliased: must be one of min-norm, drop, got "x"');
    expect(message({ workers: 0 })).toBe('workers: must be an integer between 1 and 1024, got 0');
    expect(message({ level: 1 })).toBe('level: must be a number in (0, 1), got 1');
    expect(message({ solver: 'sgd', tailFraction: 0 })).toBe(
      'tailFraction: must be a number in (0, 1], got 0',
    );
    expect(message({ ridge: 'x' })).toBe('ridge: must be a number >= 0 or "auto", got "x"');
  });

  const solverOnly = cases.filter(({ command, decl }) => command === 'fit' && decl.solvers);
  it.each(solverOnly)('refuses $key with a solver it does not apply to', ({ key, decl }) => {
    for (const solver of ['qr', 'normal', 'sgd'] as const) {
      const input = { solver, [key]: sample(decl.kind) };
      if (decl.solvers?.includes(solver)) {
        expect(() => resolve('fit', input)).not.toThrow();
      } else {
        expect(() => resolve('fit', input)).toThrow(SpecError);
        expect(() => resolve('fit', input)).toThrow(
          new RegExp(`^${key}: applies to solver .* only, got solver ${solver}$`),
        );
      }
    }
  });

  it('covers every SGD setting as an SGD-only option', () => {
    const sgdOnly = cases.filter(({ decl }) => decl.solvers?.join() === 'sgd').map((c) => c.key);
    expect(sgdOnly.sort()).toEqual(
      [
        'batchSize',
        'check',
        'decay',
        'epochs',
        'learningRate',
        'optimizer',
        'seed',
        'tailFraction',
        'tol',
        'varianceReduction',
      ].sort(),
    );
  });

  it('refuses keys that are not options of the command', () => {
    expect(() => resolvePredictSpec({ epochs: 3 } as never, MODEL)).toThrow(
      /^epochs: is not an option of predict$/,
    );
    const run = { signal: new AbortController().signal };
    expect(() => resolvePredictSpec(run as never, MODEL)).toThrow(/^signal: is not an option/);
    expect(resolvePredictSpec(run as never, MODEL, ['signal']).level).toBe(0.9);
  });
});

/** Run `linreg <args>` in process; stdout and the exit code. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), columns: 100 },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const squeeze = (s: string) => s.replace(/\s+/g, ' ');

describe('the CLI generated from the table', () => {
  it.each(COMMANDS)('linreg %s --help lists every option of the table with its help', async (c) => {
    const { code, stdout } = await cli([c, '--help']);
    expect(code).toBe(0);
    const help = squeeze(stdout);
    for (const [key, decl] of optionsOf(OPTIONS, c)) {
      if (decl.cli === false) continue;
      const flag = flagOf(key, decl) as string;
      if (decl.cli.positional === true) {
        expect(help).toContain(` ${flag} `);
      } else {
        expect(help, key).toContain(`--${flag} `);
        if (decl.cli.alias !== undefined) expect(help).toContain(`-${decl.cli.alias}, --${flag}`);
      }
      expect(help, key).toContain(squeeze(decl.help));
    }
    if (c === 'fit') expect(help).toContain('--no-intercept');
  });

  it('keeps the CLI-only flags and aliases', async () => {
    const help = squeeze((await cli(['fit', '--help'])).stdout);
    for (const flag of ['-y, --target', '-j, --workers', '-o, --output', '-q, --quiet', '--json']) {
      expect(help).toContain(flag);
    }
    expect(help).toMatch(/SGD: .*--epochs/);
  });

  it('fills no default into the arguments, so the core can tell what was given', () => {
    const { options } = yargsDefinitions('fit');
    for (const definition of Object.values(options))
      expect(definition).not.toHaveProperty('default');
    const mapped = optionsFromArgs(
      { 'learning-rate': 0.1, features: 'a, b', ridge: 'auto' },
      'fit',
    );
    expect(mapped).toEqual({ learningRate: 0.1, features: ['a', 'b'], ridge: 'auto' });
    expect(optionsFromArgs({ ridge: '0.5' }, 'fit')).toEqual({ ridge: 0.5 });
    expect(optionsFromArgs({ ridge: 'x' }, 'fit')).toEqual({ ridge: 'x' });
  });

  it('names the flag in option errors and exits 2 with one line', async () => {
    const error = withFlagName(new SpecError('learningRate', 'must be a number > 0, got 0'), 'fit');
    expect((error as Error).message).toBe('--learning-rate: must be a number > 0, got 0');
    const run = await cli(['fit', 'a.parquet', '-y', 'y', '--epochs', '3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('linreg: --epochs: applies to solver sgd only, got solver auto\n');
    const bad = await cli(['fit', 'a.parquet', '-y', 'y', '--aliased', 'some']);
    expect(bad.stderr).toBe('linreg: --aliased: must be one of min-norm, drop, got "some"\n');
  });
});

/** The CLI's own yargs (tests/ does not depend on it), typed as far as used here. */
interface Parser {
  exitProcess(exit: boolean): Parser;
  strict(): Parser;
  command(
    command: string,
    describe: string,
    builder: (y: never) => unknown,
    handler?: (args: Record<string, unknown>) => void,
  ): Parser;
  parseAsync(
    argv: string[],
    context?: object,
    done?: (error: unknown, args: unknown, output: string) => void,
  ): Promise<unknown>;
}
async function cliYargs(): Promise<Parser> {
  const require = createRequire(new URL('../../../packages/cli/package.json', import.meta.url));
  const module = (await import(pathToFileURL(require.resolve('yargs')).href)) as {
    default: () => Parser;
  };
  return module.default();
}

describe('adding an option touches the table only (a property of the generators)', () => {
  const TABLE = Object.freeze({
    ...OPTIONS,
    dummyCount: option(integer(1, 9), {
      commands: ['fit'],
      default: 3,
      help: 'A dummy option added by the test',
      cli: { alias: 'z' },
    }),
  });

  it('types it', () => {
    expectTypeOf<ResolvedOf<typeof TABLE, 'fit'>['dummyCount']>().toEqualTypeOf<number>();
  });

  it('resolves it: default, check, SpecError naming it', () => {
    const input = { ...FIT_BASE };
    expect(resolveOptions(TABLE, 'fit', input).dummyCount).toBe(3);
    expect(resolveOptions(TABLE, 'fit', { ...input, dummyCount: 5 }).dummyCount).toBe(5);
    expect(() => resolveOptions(TABLE, 'fit', { ...input, dummyCount: 0 })).toThrow(
      /^dummyCount: must be an integer between 1 and 9, got 0$/,
    );
    expect(() => resolveOptions(OPTIONS, 'fit', { ...input, dummyCount: 5 } as never)).toThrow(
      /^dummyCount: is not an option of fit$/,
    );
  });

  it('generates its flag, help and mapping', async () => {
    expect(yargsDefinitions('fit', TABLE).options['dummy-count']).toMatchObject({
      alias: 'z',
      type: 'number',
      defaultDescription: '3',
    });
    let parsed: Record<string, unknown> = {};
    let help = '';
    await (await cliYargs())
      .exitProcess(false)
      .strict()
      .command(
        'fit <inputs..>',
        'fit',
        (y) => withTableOptions(y, 'fit', TABLE),
        (args) => {
          parsed = args;
        },
      )
      .parseAsync(['fit', 'a.csv', '-y', 'y', '--dummy-count', '5']);
    await (await cliYargs())
      .exitProcess(false)
      .command('fit <inputs..>', 'fit', (y) => withTableOptions(y, 'fit', TABLE))
      .parseAsync(['fit', '--help'], {}, (_e, _a, out) => {
        help = out;
      });
    const input = optionsFromArgs(parsed, 'fit', TABLE);
    expect(input).toEqual({ inputs: ['a.csv'], target: 'y', dummyCount: 5 });
    expect(resolveOptions(TABLE, 'fit', input as never).dummyCount).toBe(5);
    expect(squeeze(help)).toContain('-z, --dummy-count A dummy option added by the test');
    expect(withFlagName(new SpecError('dummyCount', 'x'), 'fit', TABLE)).toMatchObject({
      message: '--dummy-count: x',
    });
  });
});
