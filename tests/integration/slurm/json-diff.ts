/**
 * Where two JSON documents differ, as paths (`created`,
 * `coefficients[2].estimate`): what the test reports when the merged model
 * and the single-machine model are not byte-equal.
 */

export function jsonDifferences(a: unknown, b: unknown, path = ''): string[] {
  if (Object.is(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path} (length ${a.length} vs ${b.length})`];
    return a.flatMap((x, i) => jsonDifferences(x, b[i], `${path}[${i}]`));
  }
  const isObject = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) =>
      jsonDifferences(a[key], b[key], path === '' ? key : `${path}.${key}`),
    );
  }
  return [path === '' ? '(document)' : path];
}
