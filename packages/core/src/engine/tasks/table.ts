/**
 * The one table of task kinds. A pass names a kind and its arguments; the
 * worker (worker.ts) and the in-thread runner (run-task.ts) look the kind up
 * here. Kinds are loaded on first use, so a worker that only accumulates
 * never loads the model and its t distribution (@stdlib, ~200 ms of CPU) or
 * the SGD kernels.
 *
 * A new kind of pass (level discovery, scoring, …) is a
 * module exporting `task: TaskKind<Args, Output>` plus one line here
 * (docs/architecture.md, "Adding a task kind").
 */
import type { TaskKind } from './task-kind.js';

const LOADERS = {
  accumulate: () => import('./accumulate-task.js'),
  'accumulate-groups': () => import('./accumulate-groups-task.js'),
  levels: () => import('./levels-task.js'),
  refine: () => import('./refine-task.js'),
  residual: () => import('./residual-task.js'),
  score: () => import('./score-task.js'),
  'report-ranges': () => import('./report-ranges-task.js'),
  'report-bins': () => import('./report-bins-task.js'),
  predict: () => import('./predict-task.js'),
  'sgd-statistics': () => import('./sgd-statistics-task.js'),
  'sgd-epoch': () => import('./sgd-epoch-task.js'),
  'sgd-evaluate': () => import('./sgd-evaluate-task.js'),
} as const;

type Loaded = { [K in keyof typeof LOADERS]: Awaited<ReturnType<(typeof LOADERS)[K]>>['task'] };

export type TaskKindName = keyof typeof LOADERS;
export type ArgsOf<K extends TaskKindName> =
  Loaded[K] extends TaskKind<infer A, unknown> ? A : never;
export type OutputOf<K extends TaskKindName> =
  Loaded[K] extends TaskKind<never, infer O> ? O : never;

export function isTaskKindName(kind: string): kind is TaskKindName {
  return Object.hasOwn(LOADERS, kind);
}

export async function loadTaskKind(kind: TaskKindName): Promise<TaskKind<unknown, unknown>> {
  const module = await LOADERS[kind]();
  return module.task as unknown as TaskKind<unknown, unknown>;
}
