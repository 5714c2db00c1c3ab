/**
 * A small SVG/HTML writer: elements as strings, every attribute value and
 * text escaped, coordinates rounded to 0.01 px (so a page of a few thousand
 * marks stays small). No DOM, no dependency: the report is built in Node
 * and opened offline.
 */

/** Text or attribute value with &, <, >, " and ' escaped (XML and HTML alike). */
export function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A coordinate to 0.01 (−0 as 0). */
export function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

export type Attributes = Readonly<Record<string, string | number | undefined>>;

function attributeText(attrs: Attributes): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${escapeText(typeof value === 'number' ? px(value) : value)}"`;
  }
  return out;
}

/** `<name attrs>children</name>`; children are markup already (build text with `text`). */
export function el(name: string, attrs: Attributes = {}, ...children: readonly string[]): string {
  const body = children.join('');
  return body === '' && name !== 'script' && name !== 'title' && name !== 'td' && name !== 'th'
    ? `<${name}${attributeText(attrs)}/>`
    : `<${name}${attributeText(attrs)}>${body}</${name}>`;
}

/** Escaped text content. */
export const text = (value: string): string => escapeText(value);
