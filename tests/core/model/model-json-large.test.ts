/**
 * Issue 12: a wide model (p = 4,000) is never one string. The writer's chunks
 * are JSON.stringify's text byte for byte below the large-matrix threshold;
 * above it, matrices go one compact row per line. The byte reader returns
 * what JSON.parse returns, and a model whose text is longer than the largest
 * string round-trips through parseModel.
 */
import { ModelFormatError } from '@linreg/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonBytes } from '../../../packages/core/src/model/json-bytes.js';
import { jsonChunks, LARGE_MATRIX_ENTRIES } from '../../../packages/core/src/model/json-chunks.js';
import type { LinregModel } from '../../../packages/core/src/model/model.js';
import { parseModelFile } from '../../../packages/core/src/model/model-file.js';
import {
  joinChunks,
  MAX_STRING_CHARS,
  modelJsonChunks,
  modelJsonForTask,
  modelToJson,
  parseModel,
} from '../../../packages/core/src/model/model-json.js';
import { droppedAliasModel, modelOf, threeFeatures } from './model-reference.js';

const stringify2 = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('jsonChunks', () => {
  it('writes JSON.stringify(value, null, 2) byte for byte for models that fit in a string', () => {
    for (const model of [modelOf(threeFeatures, ['a', 'b', 'c']), droppedAliasModel()]) {
      expect([...jsonChunks(model)].join('')).toBe(stringify2(model));
      // The walk that a text too long for one JSON.stringify takes: the same bytes.
      expect([...jsonChunks(model, 0)].join('')).toBe(stringify2(model));
      expect(modelToJson(model)).toBe(stringify2(model));
    }
  });

  it('writes any JSON value (and undefined, NaN, ±Infinity, empty containers) as JSON.stringify does', () => {
    const awkward = {
      a: undefined,
      b: [undefined, Number.NaN, Number.POSITIVE_INFINITY, -0, [], {}, [[]], [{}]],
      c: { d: undefined },
      e: [{ f: [1, [2, [3, { g: 'line\nbreak "quoted"' }]]] }],
      h: () => 1,
      i: [() => 1, { toJSON: () => 'custom' }],
      j: new Date(0),
      boxed: [new Number(1.5), new String('s'), new Boolean(false)],
      typed: new Float64Array([1, Number.NaN]),
      '': 'empty key',
      'k\n': [[1, 2], [3]],
    };
    expect([...jsonChunks(awkward)].join('')).toBe(stringify2(awkward));
    expect([...jsonChunks(awkward, 0)].join('')).toBe(stringify2(awkward));
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect([...jsonChunks(value)].join('')).toBe(stringify2(value));
        expect([...jsonChunks(value, 0)].join('')).toBe(stringify2(value));
      }),
      { numRuns: 300 },
    );
  });

  it('writes a matrix of more than 2^22 entries one compact row per line, the same values', () => {
    const m = 2049; // m^2 = 4,198,401 > 2^22; 2048 x 2048 is exactly 2^22 and stays pretty
    expect(m * m).toBeGreaterThan(LARGE_MATRIX_ENTRIES);
    const matrix = Array.from({ length: m }, (_, i) =>
      Array.from({ length: m }, (_, j) => (i === j ? Number.NaN : Math.sin(i * m + j))),
    );
    const text = [...jsonChunks({ x: 1, matrix })].join('');
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['{', '  "x": 1,', '  "matrix": [']);
    expect(lines).toHaveLength(m + 6);
    // Each row is JSON.stringify's compact text of it: the same numbers, NaN as null.
    const wrong = matrix.filter(
      (row, i) => lines[3 + i] !== `    ${JSON.stringify(row)}${i < m - 1 ? ',' : ''}`,
    );
    expect(wrong).toHaveLength(0);
    expect(lines[3]?.startsWith('    [null,')).toBe(true);
    expect(lines.slice(m + 3)).toEqual(['  ]', '}', '']);
    expect((JSON.parse(text) as { matrix: unknown[] }).matrix).toHaveLength(m);

    const square = Array.from({ length: 2048 }, () => new Array<number>(2048).fill(0.5));
    expect([...jsonChunks(square)].join('')).toBe(stringify2(square));
  });

  it('refuses to join a text longer than the largest string, naming its length (ModelFormatError)', () => {
    const megabyte = 'x'.repeat(1 << 20);
    function* chunks(): Generator<string> {
      for (let i = 0; i < 600; i++) yield megabyte;
    }
    expect(() => joinChunks(chunks())).toThrow(ModelFormatError);
    expect(() => joinChunks(chunks())).toThrow(/over the largest string \(536,870,888\)/);
  });
});

describe('parseJsonBytes', () => {
  it('returns what JSON.parse returns, whole or split along the structure', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 64 }), (value, whole) => {
        const text = JSON.stringify(value, null, whole % 3);
        expect(parseJsonBytes(encode(text), whole)).toEqual(JSON.parse(text));
        expect(parseJsonBytes(encode(` \n${text}\t`), whole)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps "__proto__" as an own key, the last duplicate winning, and skips a byte-order mark', () => {
    const text = '{"__proto__": [1, 2, 3], "a": {"b": 1, "b": [2, 3]}, "s": "\\"[{"}';
    const parsed = parseJsonBytes(encode(text), 4) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'a', 's']);
    expect(parsed).toEqual(JSON.parse(text));
    expect(parseJsonBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...encode('[1, [2]]')]), 2)).toEqual([
      1,
      [2],
    ]);
  });

  it('throws a SyntaxError on malformed JSON, as JSON.parse does', () => {
    const bad = [
      '',
      '[',
      '[1, 2',
      '[1 2]',
      '[1,]',
      '[,1]',
      '{"a" 1}',
      '{"a": 1,}',
      '{a: 1}',
      '{"a": [1, 2}',
      '[1, 2]]',
      '[1, 2] x',
      '{"a": "unterminated}',
      '[1, 0x10]',
      '[tru, 1]',
      '{"a": 1 "b": 2}',
    ];
    for (const text of bad) {
      expect(() => JSON.parse(text), text).toThrow(SyntaxError);
      for (const whole of [0, 2, 5]) {
        expect(() => parseJsonBytes(encode(text), whole), `${text} (${whole})`).toThrow(
          SyntaxError,
        );
      }
    }
  });
});

/** A model of m = 4,100 design columns (a small fit's, its matrices replaced by synthetic ones). */
function wideModel(m: number): LinregModel {
  const small = modelOf(threeFeatures, ['a', 'b', 'c']);
  const features = Array.from({ length: m - 1 }, (_, j) => `x${j}`);
  const template = small.coefficients[1] as LinregModel['coefficients'][number];
  const names = ['(Intercept)', ...features];
  // Full-precision numbers of ~22 characters, so the text is longer than the largest string.
  const covUnscaled = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => Math.sin(i * m + j) * 1e-3),
  );
  covUnscaled[1]?.fill(Number.NaN); // null in the file, NaN back
  const r = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => (j < i ? 0 : Math.cos(i * m + j) + (i === j ? 3 : 0))),
  );
  return {
    ...small,
    features,
    coefficients: names.map((name, j) => ({ ...template, name, estimate: j / 7 })),
    covUnscaled,
    triangularFactor: {
      columns: names,
      scales: names.map((_, j) => 1 + j / 3),
      r,
    },
    rank: m,
  };
}

describe('a model longer than the largest string (m = 4,100)', () => {
  it('is written in chunks and read back from its bytes, every number the same', () => {
    const m = 4100;
    const model = wideModel(m);
    const pieces: Uint8Array[] = [];
    let chars = 0;
    for (const chunk of modelJsonChunks(model)) {
      chars += chunk.length;
      pieces.push(encode(chunk));
    }
    expect(chars).toBeGreaterThan(MAX_STRING_CHARS);
    const bytes = new Uint8Array(chars); // ASCII: one byte a character
    let at = 0;
    for (const piece of pieces) {
      bytes.set(piece, at);
      at += piece.length;
    }
    expect(at).toBe(chars);
    pieces.length = 0;

    const parsed = parseModel(bytes, 'wide.json');
    expect(parsed.features).toEqual(model.features);
    expect(parsed.coefficients.map((c) => c.estimate)).toEqual(
      model.coefficients.map((c) => c.estimate),
    );
    let differ = 0;
    const matrices: [readonly (readonly number[])[], readonly (readonly number[])[]][] = [
      [parsed.covUnscaled, model.covUnscaled],
      [parsed.triangularFactor?.r ?? [], model.triangularFactor?.r ?? []],
    ];
    for (const [got, want] of matrices) {
      expect(got).toHaveLength(m);
      for (let i = 0; i < m; i++) {
        const g = got[i] as readonly number[];
        const w = want[i] as readonly number[];
        if (g.length !== m) differ++;
        for (let j = 0; j < m; j++) if (!Object.is(g[j], w[j])) differ++;
      }
    }
    expect(differ).toBe(0);
    expect(Number.isNaN(parsed.covUnscaled[1]?.[5])).toBe(true);
    expect(parsed.triangularFactor?.scales).toEqual(model.triangularFactor?.scales);
  }, 60_000);

  it('reaches workers as text when small, as the bytes of the same text when large, and the file reader tells the kinds apart', () => {
    const small = modelOf(threeFeatures, ['a', 'b', 'c']);
    expect(modelJsonForTask(small)).toBe(modelToJson(small));
    const read = parseModelFile(encode(modelToJson(small)), 'small.json');
    expect('model' in read && modelToJson(read.model)).toBe(modelToJson(small));
    const groups = {
      format: 'linreg-model-groups',
      version: 1,
      by: ['g'],
      groups: [{ key: { g: 1 }, model: small }],
    };
    const readGroups = parseModelFile(encode(stringify2(groups)), 'groups.json');
    expect('groups' in readGroups && readGroups.groups.groups[0]?.model.features).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});
