/**
 * The repository stands alone: a clone has nothing beside it, so no tracked file may lean on the maintainers' shared
 * folder next to the checkout, and every pointer into docs/api-notes.md must land on one of its headings.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const NOTES = 'docs/api-notes.md';

/**
 * A path into the folder beside the repository, or the same folder by its absolute name on the maintainers' machine.
 * Built from parts so that this file does not match itself.
 */
const OUTSIDE = new RegExp(['\\.\\.[\\\\/]', '/work/'].map((p) => `${p}${'sha'}red\\b`).join('|'));

/** `.ci/` may use the folder for what CI itself needs; `dist/` is built from `src/`, which is checked (and CI checks dist). */
const EXEMPT = /^(\.ci|dist)\//;

/** The tracked files (git ls-files), or every file but the usual untracked folders when this is not a git checkout. */
function trackedFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  } catch {
    const skip = new Set(['.git', 'node_modules', 'coverage', '.demo']);
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        if (skip.has(e.name)) return [];
        const p = join(dir, e.name);
        return e.isDirectory() ? walk(p) : [relative(ROOT, p)];
      });
    return walk(ROOT);
  }
}

/** The file's text, or undefined for a binary file (a NUL byte in its first 8 KB, as git decides). */
function textOf(file: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(ROOT, file));
  } catch {
    return undefined; // listed by git but deleted in the work tree
  }
  return bytes.subarray(0, 8000).includes(0) ? undefined : bytes.toString('utf8');
}

const texts = trackedFiles()
  .filter((f) => !EXEMPT.test(f))
  .map((file) => ({ file, text: textOf(file) }))
  .filter((f): f is { file: string; text: string } => f.text !== undefined);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2... */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (m[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

describe('the repository stands alone', () => {
  it('checks a real list of files', () => {
    // Guards the checks below: an empty or partial list would pass them all.
    const files = new Set(texts.map((t) => t.file));
    for (const f of ['package.json', 'src/main.ts', NOTES, '__tests__/standalone.test.ts']) expect(files).toContain(f);
  });

  it('has no tracked file outside .ci/ that refers to the folder beside the repository', () => {
    const hits = texts.flatMap(({ file, text }) =>
      text
        .split('\n')
        .flatMap((line, i) => (OUTSIDE.test(line) ? [`${file}:${i + 1}: ${line.trim().slice(0, 160)}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it('recognises such a reference when it sees one', () => {
    const dots = '..';
    expect(OUTSIDE.test(`see ${dots}/shared/api-models/alicloud-api.json`)).toBe(true);
    expect(OUTSIDE.test(`see /work/${'shared'}/notes.md`)).toBe(true);
    expect(OUTSIDE.test(`shared by the main and post steps; ${dots}/sharedness; src/shared.ts`)).toBe(false);
  });

  it('points only at headings that docs/api-notes.md has', () => {
    const have = anchors(readFileSync(resolve(ROOT, NOTES), 'utf8'));
    const pointers = texts.flatMap(({ file, text }) =>
      [...text.matchAll(/api-notes\.md#([\w-]+)/g)].map((m) => ({ file, anchor: m[1] ?? '' })),
    );
    expect(pointers.length).toBeGreaterThan(10);
    expect(pointers.filter((p) => !have.has(p.anchor)).map((p) => `${p.file}: #${p.anchor}`)).toEqual([]);
  });
});
