/**
 * The command-line side of core's option table (`OPTIONS`): yargs definitions
 * generated for a command — type, help, alias, group, the choices and the
 * default shown in the help — and the one mapping from parsed arguments to
 * the library's options (kebab → camel, comma lists split, `--ridge` a number
 * or 'auto'). yargs neither fills defaults nor checks values: the core
 * resolver does both, once, so an SGD flag given with `--solver qr` can be
 * told from its default. A SpecError naming an option is reported with its
 * flag (`linreg: --workers: must be …`).
 */
import {
  type Command,
  OPTIONS,
  type OptionDecl,
  type OptionTable,
  optionsOf,
  show,
} from '@linreg/core';
import { SpecError } from '@linreg/errors';
import type { Argv, Options, PositionalOptions } from 'yargs';
import { restoreStdin } from './stdin-arg.js';

/** 'a,b , c' → ['a', 'b', 'c']; repeated flags are concatenated. */
export function commaList(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value])
    .flatMap((v: string) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return parts;
}

/** 'learningRate' → 'learning-rate'. */
export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The flag (without dashes) or positional name of an option; undefined when it is library-only. */
export function flagOf(key: string, decl: OptionDecl<unknown>): string | undefined {
  if (decl.cli === false) return undefined;
  return decl.cli.flag ?? kebab(key);
}

function defaultText(decl: OptionDecl<unknown>, command: Command): string | undefined {
  const { defaultHelp } = decl;
  if (typeof defaultHelp === 'string') return defaultHelp;
  if (defaultHelp?.[command] !== undefined) return defaultHelp[command];
  const value = decl.default;
  if (value === undefined || typeof value === 'function') return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  return show(value);
}

function describe(decl: OptionDecl<unknown>): string {
  const choices = decl.kind.choices;
  const tags = [
    ...(choices === undefined ? [] : [`[choices: ${choices.map((c) => show(c)).join(', ')}]`]),
    ...(decl.required === true && decl.cli !== false && decl.cli.positional !== true
      ? ['[required]']
      : []),
  ];
  return [decl.help, ...tags].join(' ');
}

function yargsType(decl: OptionDecl<unknown>): 'boolean' | 'number' | 'string' {
  switch (decl.kind.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'number':
      return 'number';
    default:
      return 'string';
  }
}

export interface YargsDefinitions {
  readonly positionals: Readonly<Record<string, PositionalOptions>>;
  readonly options: Readonly<Record<string, Options>>;
}

/** The yargs definitions of every table option of `command` that has a CLI form. */
export function yargsDefinitions(command: Command, table: OptionTable = OPTIONS): YargsDefinitions {
  const positionals: Record<string, PositionalOptions> = {};
  const options: Record<string, Options> = {};
  for (const [key, decl] of optionsOf(table, command)) {
    const flag = flagOf(key, decl);
    if (flag === undefined || decl.cli === false) continue;
    const shown = defaultText(decl, command);
    const common = {
      describe: describe(decl),
      type: yargsType(decl),
      ...(shown === undefined ? {} : { defaultDescription: shown }),
    };
    if (decl.cli.positional === true) {
      positionals[flag] = { ...common, array: decl.kind.type === 'paths' };
      continue;
    }
    const sgdOnly = decl.solvers?.length === 1 ? `${decl.solvers[0]?.toUpperCase()}:` : undefined;
    const group = decl.cli.group ?? sgdOnly;
    options[flag] = {
      ...common,
      ...(decl.cli.alias === undefined ? {} : { alias: decl.cli.alias }),
      ...(group === undefined ? {} : { group }),
    };
  }
  return { positionals, options };
}

/** The yargs definition of one table option (for commands outside the table, e.g. demo's --workers). */
export function yargsOption(key: keyof typeof OPTIONS, command: Command = 'fit'): Options {
  const definition = yargsDefinitions(command).options[flagOf(key, OPTIONS[key]) ?? key];
  if (definition === undefined) throw new Error(`option ${key} has no flag for ${command}`);
  return definition;
}

/** Declare the table's options of `command` on a yargs builder. */
export function withTableOptions<A>(
  y: Argv<A>,
  command: Command,
  table: OptionTable = OPTIONS,
): Argv<A> {
  const { positionals, options } = yargsDefinitions(command, table);
  let out = y;
  for (const [name, definition] of Object.entries(positionals)) {
    out = out.positional(name, definition) as unknown as Argv<A>;
  }
  return out.options(options) as unknown as Argv<A>;
}

function fromArgument(decl: OptionDecl<unknown>, raw: unknown): unknown {
  switch (decl.kind.type) {
    case 'columns':
      return typeof raw === 'string' || Array.isArray(raw) ? commaList(raw as string[]) : raw;
    case 'paths':
      return Array.isArray(raw) ? restoreStdin(raw.map(String)) : raw;
    case 'number-or-auto': {
      if (typeof raw !== 'string' || raw === 'auto' || raw.trim() === '') return raw;
      const n = Number(raw);
      return Number.isNaN(n) ? raw : n;
    }
    default:
      return raw;
  }
}

/**
 * Parsed arguments → the library's options for `command`: only the options
 * given (yargs fills no defaults), under their library keys; the core
 * resolver checks them.
 */
export function optionsFromArgs(
  args: Readonly<Record<string, unknown>>,
  command: Command,
  table: OptionTable = OPTIONS,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, decl] of optionsOf(table, command)) {
    const flag = flagOf(key, decl);
    if (flag === undefined) continue;
    const raw = args[flag];
    if (raw !== undefined) out[key] = fromArgument(decl, raw);
  }
  return out;
}

/** A SpecError naming a table option of `command`, renamed to its flag (`learningRate` → `--learning-rate`). */
export function withFlagName(
  error: unknown,
  command: Command,
  table: OptionTable = OPTIONS,
): unknown {
  if (!(error instanceof SpecError)) return error;
  const decl = table[error.option];
  if (decl === undefined || !decl.commands.includes(command)) return error;
  const flag = flagOf(error.option, decl);
  if (flag === undefined || (decl.cli !== false && decl.cli.positional === true)) return error;
  return new SpecError(`--${flag}`, error.problem);
}

/** Run `work`, reporting option errors with their flags. */
export async function reportingFlags<R>(command: Command, work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    throw withFlagName(error, command);
  }
}

/** `--quiet` / `-q`, shared by the commands that draw a progress bar. */
export const quietOption = {
  alias: 'q',
  describe: 'No progress bar',
  type: 'boolean',
  default: false,
} as const;
