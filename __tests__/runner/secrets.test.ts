import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { registerSecret, scrub } from '../../src/runner/secrets.js';
import * as core from '../../src/runner/core.js';

let out: string[];
let write: ReturnType<typeof jest.spyOn>;
beforeEach(() => {
  out = [];
  write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
});
afterEach(() => write.mockRestore());

describe('the secret registry', () => {
  it('masks a secret before it is used, and scrubs it and its URL-encoded forms from any text', () => {
    registerSecret('s3cr3t/with+chars=');
    expect(out.join('')).toContain('::add-mask::s3cr3t/with+chars=');
    // The runner unescapes %25 back to %: it masks the encoded form itself.
    expect(out.join('')).toContain(`::add-mask::${encodeURIComponent('s3cr3t/with+chars=').replace(/%/g, '%25')}`);
    expect(scrub('sig:s3cr3t/with+chars= q=s3cr3t%2Fwith%2Bchars%3D')).toBe('sig:*** q=***');
  });

  it('scrubs the longest secret first, and ignores values too short to be secrets', () => {
    registerSecret('tokenABCD');
    registerSecret('tokenABCD-and-more');
    registerSecret('ab');
    expect(scrub('x tokenABCD-and-more y tokenABCD ab')).toBe('x *** y *** ab');
  });

  it('masks each line of a multi-line secret', () => {
    registerSecret('line-one-key\nline-two-key');
    const text = out.join('');
    expect(text).toContain('::add-mask::line-one-key');
    expect(text).toContain('::add-mask::line-two-key');
    expect(scrub('echo line-two-key')).toBe('echo ***');
  });
});

describe('core: nothing leaves past the scrubber and the sanitiser', () => {
  it('info, debug, warning, error and notice lines are scrubbed, single and command-free', () => {
    core.setSecret('CAIS-core-test-token');
    out.length = 0;
    const evil = 'x CAIS-core-test-token\n::stop-commands::t\r::add-mask::y';
    core.info(evil);
    core.debug(evil);
    core.warning(evil);
    core.error(new Error(evil));
    core.notice(evil);
    const lines = out.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect(line).not.toContain('CAIS-core-test-token');
      expect(line).not.toMatch(/^\s*::(stop-commands|add-mask)/);
      expect(line).not.toContain('\r');
    }
    expect(lines[0]).toBe('x *** ⏎ ::stop-commands::t ⏎ ::add-mask::y');
  });

  it('outputs and state are scrubbed and bounded', () => {
    core.setSecret('CAIS-output-test-token');
    const saved = { o: process.env.GITHUB_OUTPUT, s: process.env.GITHUB_STATE };
    delete process.env.GITHUB_OUTPUT;
    delete process.env.GITHUB_STATE;
    try {
      out.length = 0;
      core.setOutput('error-message', 'failed: CAIS-output-test-token');
      core.saveState('x', 'CAIS-output-test-token');
      core.setOutput('big', 'z'.repeat(200_000));
      const text = out.join('');
      expect(text).not.toContain('CAIS-output-test-token');
      expect(text).toContain('failed: ***');
      expect(text).toMatch(/cut at 65536 of 200000 characters/);
      expect(text.length).toBeLessThan(70_000);
    } finally {
      if (saved.o !== undefined) process.env.GITHUB_OUTPUT = saved.o;
      if (saved.s !== undefined) process.env.GITHUB_STATE = saved.s;
    }
  });
});
