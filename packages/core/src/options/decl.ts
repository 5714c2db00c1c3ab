/**
 * The shape of one option's declaration in the table (table.ts), and the
 * types derived from a table: what a caller passes (every option optional
 * but the required ones) and what the resolver returns (every default filled).
 */
import type { Kind } from './kinds.js';

/** The commands (library calls) that take options from the table. */
export type Command = 'fit' | 'predict' | 'score' | 'report';

export type SolverName = 'auto' | 'qr' | 'normal' | 'sgd';

/** What a computed default sees: the options resolved so far, and the call's context. */
export interface ResolveContext {
  readonly command: Command;
  /** predict: the model the options apply to. */
  readonly model?: { readonly level: number; readonly timestamps?: boolean | undefined };
}

export type DefaultOf<V> =
  | V
  | ((resolved: Readonly<Record<string, unknown>>, context: ResolveContext) => V);

/** How the option appears on the command line; `false`: library only. */
export interface CliDecl {
  /** The flag without dashes (default: the key in kebab case). */
  readonly flag?: string;
  /** One-letter alias (`-y`). */
  readonly alias?: string;
  /** Help group (default: 'SGD:' for options of solver sgd only, else the general options). */
  readonly group?: string;
  /** A positional argument (`fit <inputs..>`) rather than a flag. */
  readonly positional?: boolean;
}

export interface OptionDecl<V = unknown> {
  readonly kind: Kind<V>;
  /** The commands that take the option. */
  readonly commands: readonly Command[];
  /** One line of help, shown by `--help`. */
  readonly help: string;
  readonly required?: boolean;
  /** A value, or computed from the other resolved options (and the model, for predict). */
  readonly default?: DefaultOf<V>;
  /** How a computed default is described in the help (per command when it differs). */
  readonly defaultHelp?: string | Readonly<Partial<Record<Command, string>>>;
  /** The solvers that accept the option (default: all); giving it with another solver is an error. */
  readonly solvers?: readonly SolverName[];
  readonly cli: CliDecl | false;
}

/** Declaration fields besides the kind; `default` checked against the kind's type. */
export type DeclFields<V> = Omit<OptionDecl<V>, 'kind'>;

/** One table entry: `option(integer(1, 1024), { commands: [...], help: '…', … })`. */
export function option<V, const D extends DeclFields<NoInfer<V>>>(
  kind: Kind<V>,
  decl: D,
): D & { readonly kind: Kind<V> } {
  return Object.freeze({ ...decl, kind });
}

export type OptionTable = Readonly<Record<string, OptionDecl<unknown>>>;

type ValueOf<O> = O extends { readonly kind: Kind<infer V> } ? V : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The keys of `T` taken by command `C`. */
export type KeysOf<T, C extends Command> = {
  [K in keyof T]: T[K] extends { readonly commands: readonly (infer U)[] }
    ? C extends U
      ? K
      : never
    : never;
}[keyof T] &
  string;

type RequiredKeys<T, C extends Command> = {
  [K in KeysOf<T, C>]: T[K] extends { readonly required: true } ? K : never;
}[KeysOf<T, C>];

/** What a caller passes for command C: the required options, and any of the others. */
export type InputOf<T, C extends Command> = Simplify<
  { readonly [K in RequiredKeys<T, C>]: ValueOf<T[K]> } & {
    readonly [K in Exclude<KeysOf<T, C>, RequiredKeys<T, C>>]?: ValueOf<T[K]> | undefined;
  }
>;

/** What the resolver returns for command C: every option, defaults filled in. */
export type ResolvedOf<T, C extends Command> = {
  readonly [K in KeysOf<T, C>]: T[K] extends
    | { readonly required: true }
    | { readonly default: unknown }
    ? ValueOf<T[K]>
    : ValueOf<T[K]> | undefined;
};
