/**
 * The shape of src/ stays true: imports run one way, entries -> publish -> gate -> inputs -> products -> alicloud ->
 * runner, time, and nothing imports in a circle. The types of inputs/settings.ts may be imported from anywhere.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** Lower runs first: a file may import only from a higher rank (or its own folder). */
const RANK: Readonly<Record<string, number>> = {
  '.': 0,
  publish: 1,
  gate: 2,
  inputs: 3,
  products: 4,
  alicloud: 5,
  runner: 6,
  time: 6,
};
const SETTINGS = 'inputs/settings.ts';

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [relative(SRC, p)] : [];
  });
}

/** Every relative import of a file (static, re-export and dynamic), resolved to a path under src/. */
function importsOf(file: string, text: string): Edge[] {
  const edges: Edge[] = [];
  const re = /(?:^|\n)\s*(import|export)(\s+type)?[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4];
    if (!spec) continue;
    const target = relative(SRC, resolve(SRC, dirname(file), spec)).replace(/\.js$/, '.ts');
    if (target.startsWith('..')) continue; // node_modules internals, not our layering
    edges.push({ from: file, to: target, typeOnly: !!m[2] });
  }
  return edges;
}

const folderOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');

/** The imports that break the order, as "from -> to" lines. */
function violations(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => {
      if (e.to === SETTINGS && e.typeOnly) return false;
      const [a, b] = [folderOf(e.from), folderOf(e.to)];
      if (a === b) return false;
      const [ra, rb] = [RANK[a], RANK[b]];
      if (ra === undefined || rb === undefined) return true;
      return rb <= ra && !(ra === rb && a !== b && ra === RANK.runner); // runner and time may use each other
    })
    .map((e) => `${e.from} -> ${e.to}`);
}

/** Every import circle, as "a -> b -> a". */
function circles(edges: readonly Edge[]): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      found.add([...path.slice(path.indexOf(node)), node].join(' -> '));
      return;
    }
    state.set(node, 'open');
    for (const to of next.get(node) ?? []) visit(to, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of next.keys()) visit(node, []);
  return [...found];
}

const files = sources(SRC);
const edges = files.flatMap((f) => importsOf(f, readFileSync(join(SRC, f), 'utf8')));

describe('the layout of src/', () => {
  it('has only the entry points and the wiring at its root', () => {
    expect(files.filter((f) => !f.includes('/')).sort()).toEqual([
      'connect.ts',
      'index.ts',
      'local-action-post.ts', // the entries @github/local-action runs (npm run local-action)
      'local-action.ts',
      'main.ts',
      'post-index.ts',
      'post.ts',
    ]);
  });

  it('keeps every file in a folder the import order knows', () => {
    expect(files.filter((f) => RANK[folderOf(f)] === undefined)).toEqual([]);
  });

  it('imports one way: entries -> publish -> gate -> inputs -> products -> alicloud -> runner, time', () => {
    expect(edges.length).toBeGreaterThan(50);
    expect(violations(edges)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(circles(edges)).toEqual([]);
  });

  it('detects what it guards against', () => {
    const upward = importsOf('products/sae.ts', "import { runGate } from '../gate/gate.js';");
    expect(violations(upward)).toEqual(['products/sae.ts -> gate/gate.ts']);
    const settingsType = importsOf('runner/log.ts', "import type { Settings } from '../inputs/settings.js';");
    expect(violations(settingsType)).toEqual([]);
    const settingsValue = importsOf('runner/log.ts', "import { Settings } from '../inputs/settings.js';");
    expect(violations(settingsValue)).toEqual(['runner/log.ts -> inputs/settings.ts']);
    const loop = [
      ...importsOf('gate/a.ts', "import { b } from './b.js';"),
      ...importsOf('gate/b.ts', "import type { a } from './a.js';"),
    ];
    expect(circles(loop)).toEqual(['gate/a.ts -> gate/b.ts -> gate/a.ts']);
    expect(importsOf('post-index.ts', "void import('./post.js');")).toEqual([
      { from: 'post-index.ts', to: 'post.ts', typeOnly: false },
    ]);
  });
});
