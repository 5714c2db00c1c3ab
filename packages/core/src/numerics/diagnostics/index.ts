export {
  createDiagnosticsState,
  DiagnosticsAccumulator,
  type DiagnosticsSpec,
  type DiagnosticsState,
  type DiagnosticsSums,
  deserializeDiagnosticsState,
  diagnosticsSums,
  mergeDiagnosticsStates,
  SKETCH_ALPHA,
  SKETCH_BUCKETS,
  SKETCH_FLOOR,
  serializeDiagnosticsState,
  sketchOrderStatistic,
} from './diagnostics-state.js';
export {
  createTopRowsState,
  mergeTopRowsStates,
  placeTopRows,
  type TopRow,
  type TopRows,
  TopRowsAccumulator,
  type TopRowsSpec,
} from './top-rows.js';
