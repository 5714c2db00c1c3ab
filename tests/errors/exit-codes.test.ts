import { LinregError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import { classifyError, ExitCode } from '../../packages/cli/src/exit-codes.js';
import { exportedClasses, samples } from './samples.js';

describe('classifyError by exit kind', () => {
  it.each(exportedClasses)('%s exits with its documented code', (name) => {
    const cases = samples[name] ?? [];
    expect(cases.length).toBeGreaterThan(0);
    for (const { error, exit } of cases) {
      const classified = classifyError(error);
      expect(classified.code).toBe(exit);
      expect(classified.message).toBe(exit === 130 ? 'interrupted' : error.message);
    }
  });

  it('maps the exit kinds to 2, 1 and 130', () => {
    class Probe extends LinregError {
      override readonly name = 'Probe';
      readonly code = 'probe';
      constructor(readonly exit: LinregError['exit']) {
        super('probe');
      }
    }
    expect(classifyError(new Probe('usage')).code).toBe(ExitCode.usage);
    expect(classifyError(new Probe('failed')).code).toBe(ExitCode.fitFailed);
    expect(classifyError(new Probe('interrupted')).code).toBe(ExitCode.interrupted);
    expect([ExitCode.usage, ExitCode.fitFailed, ExitCode.interrupted]).toEqual([2, 1, 130]);
  });

  it('keeps unknown errors internal, exit 1, on one line', () => {
    expect(classifyError(new TypeError('x is not a function\n    at foo (bar.js:1:1)'))).toEqual({
      code: 1,
      message: 'internal error: TypeError: x is not a function at foo (bar.js:1:1)',
    });
    expect(classifyError('boom')).toEqual({ code: 1, message: 'internal error: boom' });
  });
});
