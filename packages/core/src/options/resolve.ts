/**
 * The one resolver: a partial options object in, every option of the command
 * checked and every default filled in out. Each problem is a SpecError naming
 * the option (its library key). Generic over the table, so a new entry flows
 * through without code here.
 */
import { SpecError } from '@linreg/errors';
import type {
  Command,
  InputOf,
  OptionDecl,
  OptionTable,
  ResolveContext,
  ResolvedOf,
} from './decl.js';

export interface ResolveOptionsOf {
  /** predict: the model (its level and timestamps are defaults). */
  readonly model?: ResolveContext['model'];
  /**
   * Keys of `input` that are not options (e.g. predictFiles' `signal`);
   * any other unknown key is an error. Default: none.
   */
  readonly passThrough?: readonly string[];
}

/** The options of `table` taken by `command`, in table order. */
export function optionsOf<T extends OptionTable>(
  table: T,
  command: Command,
): [key: string & keyof T, decl: OptionDecl<unknown>][] {
  return Object.entries(table).filter(([, decl]) => decl.commands.includes(command)) as [
    string & keyof T,
    OptionDecl<unknown>,
  ][];
}

export function resolveOptions<T extends OptionTable, C extends Command>(
  table: T,
  command: C,
  input: InputOf<T, C>,
  how: ResolveOptionsOf = {},
): ResolvedOf<T, C> {
  if (typeof input !== 'object' || input === null) {
    throw new SpecError(command, `options must be an object, got ${String(input)}`);
  }
  const given = input as Readonly<Record<string, unknown>>;
  const decls = optionsOf(table, command);
  const known = new Set<string>([...decls.map(([key]) => key), ...(how.passThrough ?? [])]);
  for (const key of Object.keys(given)) {
    if (!known.has(key) && given[key] !== undefined) {
      throw new SpecError(key, `is not an option of ${command}`);
    }
  }
  const context: ResolveContext = { command, model: how.model };
  const out: Record<string, unknown> = {};
  const computed: [string, OptionDecl<unknown>][] = [];
  for (const [key, decl] of decls) {
    const value = given[key];
    if (value === undefined) {
      if (decl.required === true) throw new SpecError(key, 'is required');
      if (typeof decl.default === 'function') computed.push([key, decl]);
      else out[key] = decl.default;
      continue;
    }
    const problem = decl.kind.problem(value);
    if (problem !== undefined) throw new SpecError(key, problem);
    out[key] = value;
  }
  const solver = out.solver;
  if (typeof solver === 'string') {
    for (const [key, decl] of decls) {
      if (
        decl.solvers !== undefined &&
        given[key] !== undefined &&
        !decl.solvers.some((s) => s === solver)
      ) {
        throw new SpecError(
          key,
          `applies to solver ${decl.solvers.join(' or ')} only, got solver ${solver}`,
        );
      }
    }
  }
  for (const [key, decl] of computed) {
    const fill = decl.default as (
      r: Readonly<Record<string, unknown>>,
      c: ResolveContext,
    ) => unknown;
    out[key] = fill(out, context);
  }
  return out as ResolvedOf<T, C>;
}
