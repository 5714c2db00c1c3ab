/**
 * A small glob matcher (Node 20 has no fs.promises.glob). Supported syntax,
 * matched against '/'-separated paths:
 *   `*`  any run of characters except '/',
 *   `?`  one character except '/',
 *   `**` as a whole segment: zero or more directories,
 *   `[abc]`, `[a-z]`, `[!abc]`  one character of (or not of) a class.
 * Braces (`{a,b}`) and escapes are not supported; those characters match literally.
 */

const GLOB_CHARS = /[*?[]/;

export function hasGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/**
 * Splits a pattern into the longest leading directory without glob characters
 * (where the walk starts) and the rest (matched relative to it).
 */
export function globBase(pattern: string): { base: string; rest: string } {
  const segments = pattern.split('/');
  let i = 0;
  while (i < segments.length - 1 && !hasGlob(segments[i] ?? '')) i += 1;
  const baseSegments = segments.slice(0, i);
  const base = baseSegments.length === 0 ? '.' : baseSegments.join('/') || '/';
  return { base, rest: segments.slice(i).join('/') };
}

/** Compiles a relative glob (no leading base) into an anchored RegExp over '/'-separated paths. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  const segments = pattern.split('/');
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      source += last ? '.*' : '(?:[^/]*/)*';
      return;
    }
    source += segmentSource(segment);
    if (!last) source += '/';
  });
  return new RegExp(`^${source}$`);
}

function segmentSource(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i += 1) {
    const c = segment[i] as string;
    if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else {
      out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
    }
  }
  return out;
}
