/**
 * Numeric expressions evaluated a batch at a time: a NumExpr is turned once
 * per unit into a tree of closures, each filling a Float64Array it owns
 * (grown when a larger batch arrives), so a batch costs a few tight loops
 * and no allocation per row.
 */
import type { NumExpr, UnaryFunction } from './program.js';

/** Fills and returns a vector of `n` values; the vector is owned by the closure and reused. */
export type VectorFn = (inputs: readonly Float64Array[], n: number) => Float64Array;

const FUNCTIONS: Readonly<Record<UnaryFunction, (x: number) => number>> = {
  log: Math.log,
  log1p: Math.log1p,
  log2: Math.log2,
  log10: Math.log10,
  exp: Math.exp,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

export function isUnaryFunction(name: string): name is UnaryFunction {
  return Object.hasOwn(FUNCTIONS, name);
}

function buffer(): (n: number) => Float64Array {
  let out = new Float64Array(0);
  return (n) => {
    if (out.length < n) out = new Float64Array(Math.max(n, 2 * out.length));
    return out;
  };
}

/** R's `^`: x^0 is 1 for every x (NaN included), as in R and C's pow. */
function power(a: number, b: number): number {
  return b === 0 ? 1 : a ** b;
}

export function compileVector(e: NumExpr): VectorFn {
  switch (e.op) {
    case 'input': {
      const index = e.input;
      return (inputs) => inputs[index] as Float64Array;
    }
    case 'const': {
      const out = buffer();
      const value = e.value;
      return (_, n) => out(n).fill(value, 0, n);
    }
    case 'neg': {
      const a = compileVector(e.a);
      const out = buffer();
      return (inputs, n) => {
        const x = a(inputs, n);
        const o = out(n);
        for (let i = 0; i < n; i++) o[i] = -(x[i] as number);
        return o;
      };
    }
    case 'fn': {
      const a = compileVector(e.a);
      const f = FUNCTIONS[e.fn];
      const out = buffer();
      return (inputs, n) => {
        const x = a(inputs, n);
        const o = out(n);
        for (let i = 0; i < n; i++) o[i] = f(x[i] as number);
        return o;
      };
    }
    case 'log-base': {
      const a = compileVector(e.a);
      const base = compileVector(e.base);
      const out = buffer();
      return (inputs, n) => {
        const x = a(inputs, n);
        const b = base(inputs, n);
        const o = out(n);
        for (let i = 0; i < n; i++) o[i] = Math.log(x[i] as number) / Math.log(b[i] as number);
        return o;
      };
    }
    default:
      return binary(e.op, compileVector(e.a), compileVector(e.b));
  }
}

function binary(op: 'add' | 'sub' | 'mul' | 'div' | 'pow', a: VectorFn, b: VectorFn): VectorFn {
  const out = buffer();
  return (inputs, n) => {
    const x = a(inputs, n);
    const y = b(inputs, n);
    const o = out(n);
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) o[i] = (x[i] as number) + (y[i] as number);
        break;
      case 'sub':
        for (let i = 0; i < n; i++) o[i] = (x[i] as number) - (y[i] as number);
        break;
      case 'mul':
        for (let i = 0; i < n; i++) o[i] = (x[i] as number) * (y[i] as number);
        break;
      case 'div':
        for (let i = 0; i < n; i++) o[i] = (x[i] as number) / (y[i] as number);
        break;
      case 'pow':
        for (let i = 0; i < n; i++) o[i] = power(x[i] as number, y[i] as number);
        break;
    }
    return o;
  };
}

/** Adds to `into` the index of every input `e` reads. */
export function inputsOf(e: NumExpr, into: Set<number>): Set<number> {
  switch (e.op) {
    case 'input':
      into.add(e.input);
      break;
    case 'const':
      break;
    case 'neg':
    case 'fn':
      inputsOf(e.a, into);
      break;
    case 'log-base':
      inputsOf(e.a, into);
      inputsOf(e.base, into);
      break;
    default:
      inputsOf(e.a, into);
      inputsOf(e.b, into);
  }
  return into;
}
