/**
 * yargs renders the running command's whole help text right after it calls
 * the command's handler (`usage.cacheHelpMessage()`, kept so that a later
 * failure can print it). For `fit` that is ~60 options through cliui, wrap-ansi
 * and string-width's Intl.Segmenter: 30–40 ms of the main thread on every run,
 * spent before the handler's first await continues, i.e. before the plan is
 * made and the workers start. Our `.fail()` handler throws, and main() prints
 * one line, never the help, so the cached text is never read: replace the
 * method with a no-op. `--help` is unaffected (it renders through `help()`).
 *
 * yargs is pinned (18.2.0) and this reaches one internal method; when the
 * shape is not there (another yargs), nothing is changed and yargs only stays
 * slower. tests/cli/skip-help-cache.test.ts fails if the method moves.
 */

interface UsageInternals {
  cacheHelpMessage?: unknown;
}
interface ParserInternals {
  getInternalMethods?: () => { getUsageInstance?: () => UsageInternals | undefined } | undefined;
}

/** Returns whether the method was found and replaced. */
export function skipHelpCache(parser: object): boolean {
  const usage = (parser as ParserInternals).getInternalMethods?.()?.getUsageInstance?.();
  if (usage === undefined || typeof usage.cacheHelpMessage !== 'function') return false;
  usage.cacheHelpMessage = () => {};
  return true;
}
