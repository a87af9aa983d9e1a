import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendSummary } from '../../src/runner/core.js';

const saved = process.env.GITHUB_STEP_SUMMARY;
afterEach(() => {
  if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
  else process.env.GITHUB_STEP_SUMMARY = saved;
});

describe('appendSummary', () => {
  it('appends the Markdown and a line end to the summary file, as core.summary.addRaw(text, true).write() does', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'step_summary');
    writeFileSync(file, 'from an earlier step' + EOL);
    process.env.GITHUB_STEP_SUMMARY = file;
    await appendSummary('## Release 🚀\n| a | b |');
    await appendSummary('second');
    expect(readFileSync(file, 'utf8')).toBe(`from an earlier step${EOL}## Release 🚀\n| a | b |${EOL}second${EOL}`);
  });

  it('rejects, naming the variable, when the runner gave no summary file', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(appendSummary('x')).rejects.toThrow('$GITHUB_STEP_SUMMARY');
  });

  it('rejects when the file cannot be written', async () => {
    process.env.GITHUB_STEP_SUMMARY = join(tmpdir(), 'no-such-dir-for-the-summary', 'x', 'summary');
    await expect(appendSummary('x')).rejects.toThrow(/ENOENT/);
  });
});
