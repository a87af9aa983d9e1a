/** The Node version is the same wherever it is named, and every workflow action is pinned by commit. */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../scripts/docs.js';

const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
const action = parse(read('action.yml')) as { runs: { using: string } };
const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
const workflows = readdirSync(resolve(ROOT, '.github/workflows')).map((f) => [f, read(`.github/workflows/${f}`)]);

describe('Node version', () => {
  it('.node-version is the major version action.yml runs on', () => {
    expect(action.runs.using).toMatch(/^node\d+$/);
    expect(read('.node-version').trim()).toBe(action.runs.using.slice('node'.length));
  });

  it('engines admit that version and nothing older than the dependencies need (Node 22)', () => {
    const major = Number(read('.node-version').trim());
    const ranges = pkg.engines.node.split('||').map((r) => r.trim());
    expect(ranges).toContain(`>=${major}`);
    for (const r of ranges) expect(Number(/(\d+)/.exec(r)?.[1])).toBeGreaterThanOrEqual(22);
  });
});

describe('workflows', () => {
  it.each(workflows)('%s pins every action by full commit SHA with its version as a comment', (_name, text) => {
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].filter((m) => !m[1]?.startsWith('./'));
    expect(uses.length).toBeGreaterThan(0);
    const loose = uses.filter(
      (m) => !/@[0-9a-f]{40}$/.test(m[1] ?? '') || !/^\s+# v\d+\.\d+\.\d+\s*$/.test(m[2] ?? ''),
    );
    expect(loose.map((m) => m[0].trim())).toEqual([]);
  });

  it.each(workflows)('%s never sets up Node 20 or older', (_name, text) => {
    const versions = [...text.matchAll(/node-version:\s*(\d+)/g)].map((m) => Number(m[1]));
    const matrix = [...text.matchAll(/node:\s*\[([^\]]*)\]/g)].flatMap((m) => (m[1] ?? '').split(',').map(Number));
    for (const v of [...versions, ...matrix]) expect(v).toBeGreaterThanOrEqual(22);
  });
});
