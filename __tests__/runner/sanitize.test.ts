import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LINE_MAX, bound, sanitizeLine } from '../../src/runner/sanitize.js';

describe('sanitizeLine', () => {
  it.each([
    ['LF', 'a\nb', 'a ⏎ b'],
    ['CR', 'a\rb', 'a ⏎ b'],
    ['CRLF', 'a\r\nb', 'a ⏎ b'],
    ['NEL, LS, PS, VT, FF', 'a\u0085b\u2028c\u2029d\u000be\u000cf', 'a ⏎ b ⏎ c ⏎ d ⏎ e ⏎ f'],
    ['tab', 'a\tb', 'a b'],
    ['NUL and BEL', 'a\u0000b\u0007c', 'a\\u{0}b\\u{7}c'],
    ['C1', 'a\u0090b', 'a\\u{90}b'],
    ['DEL', 'a\u007fb', 'a\\u{7f}b'],
    ['ANSI colours', '\u001b[31mred\u001b[0m', 'red'],
    ['OSC title', '\u001b]0;title\u0007x', 'x'],
    ['8-bit CSI', '\u009b2Jx', 'x'],
    ['bidi override and zero-width', 'a\u202eb\u200bc\ufeffd\u2066e', 'abcde'],
    ['a command', '::add-mask::x', '› ::add-mask::x'],
    ['a command after blanks', '  ::error::x', '›   ::error::x'],
    ['a legacy command', '##[group]x', '› ##[group]x'],
    ['a command after a break', 'ok\n::stop-commands::t', 'ok ⏎ ::stop-commands::t'],
    ['a command behind an escape', '\u001b[0m::warning::x', '› ::warning::x'],
    ['plain text', 'Batch 1/3 succeeded: 中文 ✓', 'Batch 1/3 succeeded: 中文 ✓'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeLine(input)).toBe(expected);
  });

  it('never lets a line start like a command, whatever precedes it', () => {
    const prefixes = ['', ' ', '\t', '\u001b[1m', '\u0000', '\u200b', '\u202e', '\r', '\n'];
    for (const p of prefixes)
      for (const cmd of ['::set-env name=X::1', '##[endgroup]']) {
        const line = sanitizeLine(p + cmd);
        expect(line).not.toMatch(/^\s*(::|##\[)/);
        expect(line).not.toMatch(/[\r\n]/);
      }
  });

  it('bounds the line and says where it was cut, also for a huge input', () => {
    const line = sanitizeLine('x'.repeat(50_000_000));
    expect(line.length).toBe(LINE_MAX);
    expect(line).toMatch(/… \[cut at 8192 of 50000000 characters\]$/);
    const small = sanitizeLine('y'.repeat(100), 60);
    expect(small.length).toBe(60);
    expect(small).toContain('cut at 60 of 100 characters');
  });

  it('bound keeps short text and never splits a surrogate pair', () => {
    expect(bound('short', 10)).toBe('short');
    const cut = bound('😀'.repeat(100), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('no way around the sanitiser', () => {
  it('only src/runner writes to stdout or issues workflow commands (post-index.ts sanitises its one debug line)', () => {
    const src = resolve(import.meta.dirname, '..', '..', 'src');
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const offenders = files
      .map((f) => ({ f: relative(src, join(src, f)), text: readFileSync(join(src, f), 'utf8') }))
      .filter(({ f }) => !f.startsWith('runner/'))
      .filter(({ f, text }) => {
        const writes = /process\.(stdout|stderr)\.write|console\.(log|info|warn|error|debug)\(/.test(text);
        const commands =
          /issueCommand\(/.test(text) &&
          !(f === 'post-index.ts' && /issueCommand\('debug', \{\}, sanitizeLine\(/.test(text));
        return writes || commands;
      })
      .map(({ f }) => f);
    expect(offenders).toEqual([]);
  });
});
