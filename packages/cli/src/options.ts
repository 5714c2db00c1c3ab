/** Option definitions and parsing helpers shared by commands: comma lists, `--ridge`, `--workers`, `--format`. */
import { UsageError } from './exit-codes.js';

/** 'a,b , c' → ['a', 'b', 'c']; repeated flags are concatenated. */
export function commaList(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value])
    .flatMap((v: string) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return parts;
}

export function parseRidge(value: string | undefined): number | 'auto' | undefined {
  if (value === undefined) return undefined;
  if (value === 'auto') return 'auto';
  const lambda = Number(value);
  if (value.trim() === '' || !Number.isFinite(lambda) || lambda < 0) {
    throw new UsageError(`--ridge: expected a number >= 0 or 'auto', got ${JSON.stringify(value)}`);
  }
  return lambda;
}

export function parseWorkers(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`--workers: expected a positive integer, got ${String(value)}`);
  }
  return value;
}

/** `--workers` / `-j` (yargs option definition), read with parseWorkers. */
export const workersOption = {
  alias: 'j',
  describe: 'Worker threads (default: all cores)',
  type: 'number',
} as const;

/** `--format` (yargs option definition): the input format when detection by extension is not wanted. */
export const inputFormatOption = {
  describe: 'Input format (default: detected)',
  choices: ['parquet', 'arrow', 'csv'],
} as const;
