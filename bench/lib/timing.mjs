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

/** Wrap an SGD runner to time each pass: `passes` collects { kind, ms, cpuMs } in order. */
export function timedRunner(runner) {
  const passes = [];
  return {
    passes,
    runner: {
      units: runner.units,
      async runPass(pass) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const out = await runner.runPass(pass);
        passes.push({ kind: pass.kind, ms: performance.now() - t0, cpuMs: cpuSince(c0) });
        return out;
      },
    },
  };
}
