// Timing helpers shared by the benches.

/** CPU time (user + system, all threads of the process) since `start`, in ms: robust to a shared machine. */
export function cpuSince(start) {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** Upper median (the middle element for odd lengths). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Per-pass timing of a `fit` from its `onProgress` events: pass `onProgress`
 * in fit's options (create the timer just before the call). Every pass has
 * its own tracker, so a pass of `phase` is done at the event with
 * unitsDone === unitsTotal; `passes` collects { ms, cpuMs } in order: wall ms
 * is that event's elapsedMs (since the pass started), CPU ms the process CPU
 * time (all threads) since the previous pass ended, so it includes the
 * driver's work between passes, and for the first pass the fit's set-up
 * (resolving the spec, opening the source and the pool).
 */
export function passTimer(phase = 'sgd') {
  const passes = [];
  let cpu = process.cpuUsage();
  return {
    passes,
    onProgress(p) {
      if (p.phase !== phase || p.unitsDone !== p.unitsTotal) return;
      const d = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      passes.push({ ms: p.elapsedMs, cpuMs: (d.user + d.system) / 1000 });
    },
  };
}

/**
 * Split the passes of an SGD fit (statistics, one per epoch attempt,
 * evaluation) by kind, given its report `sgd` (FitResult.sgd). A diverged
 * epoch is redone at once with half the learning rate (one warning each), so
 * the pass of history[i] is the last attempt at its epoch; `redone` holds the
 * discarded attempts.
 */
export function sgdPasses(passes, sgd) {
  const redos = new Map();
  for (const w of sgd.warnings) {
    const m = /diverged at epoch (\d+)/.exec(w);
    if (m) redos.set(Number(m[1]), (redos.get(Number(m[1])) ?? 0) + 1);
  }
  const redoCount = [...redos.values()].reduce((s, k) => s + k, 0);
  if (passes.length !== sgd.history.length + redoCount + 2) {
    throw new Error(
      `expected ${sgd.history.length + redoCount + 2} sgd passes (statistics, ${sgd.history.length} epochs + ${redoCount} redone, evaluate), timed ${passes.length}`,
    );
  }
  const epochs = [];
  const redone = [];
  let next = 1;
  for (const h of sgd.history) {
    for (let k = redos.get(h.epoch) ?? 0; k > 0; k--) redone.push(passes[next++]);
    epochs.push(passes[next++]);
  }
  return { statistics: passes[0], epochs, redone, evaluate: passes[passes.length - 1] };
}
