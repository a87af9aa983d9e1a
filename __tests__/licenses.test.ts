/**
 * Every bundle's licenses.txt lists every package bundled into it. The list is rebuilt here from the bundle's own
 * contents: a fresh build with source maps (whose code must be dist/'s, byte for byte), and the node_modules paths that
 * dist/'s files themselves still show.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENTRIES, listedPackages, ROOT } from '../scripts/bundle.js';

let fresh: string;

beforeAll(() => {
  fresh = mkdtempSync(join(tmpdir(), 'bundle-'));
  const build = spawnSync(resolve(ROOT, 'node_modules/.bin/tsx'), ['scripts/bundle.ts', '--out', fresh, '--sources'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`npm run bundle -- --out failed:\n${build.stderr.slice(-2000)}`);
}, 240_000);
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

/** name@version of the package that a module path (…/node_modules/<name>/…, the last one) belongs to. */
function packageOf(path: string): string | undefined {
  const dir = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
  if (!dir) return undefined;
  const pkg = JSON.parse(readFileSync(resolve(ROOT, dir.slice(dir.indexOf('node_modules/')), 'package.json'), 'utf8'));
  return `${pkg.name}@${pkg.version}`;
}
const unique = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();
const jsFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.js'));

describe.each(ENTRIES.map((e) => [e.out, e.out.slice('dist'.length)]))('%s/licenses.txt', (out, sub) => {
  const dist = resolve(ROOT, out);
  const licenses = () => readFileSync(join(dist, 'licenses.txt'), 'utf8');

  it('belongs to the code in dist/: a fresh build gives the same files', () => {
    const built = jsFiles(join(fresh, sub)).sort();
    expect(jsFiles(dist).sort()).toEqual(built);
    for (const f of built)
      expect(readFileSync(join(dist, f), 'utf8') === readFileSync(join(fresh, sub, f), 'utf8')).toBe(true);
  });

  it('lists exactly the packages that the source maps of the bundle and its chunks name', () => {
    const sources = JSON.parse(readFileSync(join(fresh, sub, 'sources.json'), 'utf8')) as string[];
    const bundled = unique(sources.map(packageOf));
    expect(bundled).toEqual(expect.arrayContaining(['@alicloud/pop-core@1.8.0', 'p-retry@9.0.0']));
    expect(listedPackages(licenses()).sort()).toEqual(bundled);
  });

  it('lists every package whose path dist/ itself still shows', () => {
    const text = jsFiles(dist)
      .map((f) => readFileSync(join(dist, f), 'utf8'))
      .join('\n');
    const shown = unique(
      [...text.matchAll(/node_modules\/(?:@[^/\s"'`]+\/)?[^/\s"'`]+\/[^\s"'`]*/g)].map((m) => packageOf(m[0])),
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((p) => !listedPackages(licenses()).includes(p))).toEqual([]);
  });

  it('gives every package its licence: an SPDX name and a text', () => {
    const sections = licenses()
      .split(/^={80}\n/m)
      .slice(1);
    expect(sections.length).toBe(2 * listedPackages(licenses()).length);
    for (let i = 0; i < sections.length; i += 2) {
      expect(sections[i]).toMatch(/^\S+@\S+ \([A-Za-z0-9.-]+(?: (?:OR|AND) [A-Za-z0-9.-]+)*\)\n$/);
      expect(sections[i + 1]?.trim().length).toBeGreaterThan(10);
    }
  });
});
