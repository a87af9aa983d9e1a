import { describe, expect, it } from '@jest/globals';
import { muteDependencyDeprecations } from '../../src/runner/node-warnings.js';

function target(): { emitted: unknown[][]; emitWarning: NodeJS.Process['emitWarning'] } {
  const emitted: unknown[][] = [];
  return { emitted, emitWarning: (...args: unknown[]) => void emitted.push(args) };
}

describe('muteDependencyDeprecations', () => {
  it("drops url.parse()'s DEP0169 in each of emitWarning's forms", () => {
    const t = target();
    muteDependencyDeprecations(t);
    t.emitWarning('`url.parse()` behavior is not standardized', 'DeprecationWarning', 'DEP0169');
    t.emitWarning('`url.parse()` behavior is not standardized', { type: 'DeprecationWarning', code: 'DEP0169' });
    t.emitWarning(
      Object.assign(new Error('`url.parse()` behavior is not standardized'), {
        name: 'DeprecationWarning',
        code: 'DEP0169',
      }),
    );
    expect(t.emitted).toEqual([]);
  });

  it('passes every other warning through unchanged', () => {
    const t = target();
    muteDependencyDeprecations(t);
    const error = Object.assign(new Error('Buffer() is deprecated'), { code: 'DEP0005' });
    t.emitWarning('Buffer() is deprecated', 'DeprecationWarning', 'DEP0005');
    t.emitWarning('something odd', { type: 'Warning', code: 'X1', detail: 'more' });
    t.emitWarning(error);
    t.emitWarning('plain');
    expect(t.emitted).toEqual([
      ['Buffer() is deprecated', 'DeprecationWarning', 'DEP0005'],
      ['something odd', { type: 'Warning', code: 'X1', detail: 'more' }],
      [error],
      ['plain'],
    ]);
  });
});
