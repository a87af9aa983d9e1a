/**
 * action.yml is the single source of the README's inputs and outputs tables. `npm run docs` rewrites them between the
 * `<!-- inputs:start -->` / `<!-- outputs:start -->` markers; __tests__/docs.test.ts fails when they drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '..');

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

export function readActionYml(): ActionYml {
  return parse(readFileSync(resolve(ROOT, 'action.yml'), 'utf8')) as ActionYml;
}

const cell = (text: string): string =>
  text
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

export function renderTables(action: ActionYml): { inputs: string; outputs: string } {
  const inputs = [
    '## Inputs',
    '',
    '| input | default | description |',
    '|---|---|---|',
    ...Object.entries(action.inputs).map(
      ([name, i]) =>
        `| \`${name}\` | ${i.default !== undefined && i.default !== '' ? `\`${cell(String(i.default))}\`` : i.required ? '**required**' : ''} | ${cell(i.description)} |`,
    ),
  ].join('\n');
  const outputs = [
    '## Outputs',
    '',
    '| output | description |',
    '|---|---|',
    ...Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`),
  ].join('\n');
  return { inputs, outputs };
}

/** The README with its tables regenerated. */
export function withTables(readme: string, tables: { inputs: string; outputs: string }): string {
  const put = (text: string, marker: string, body: string): string => {
    const re = new RegExp(`(<!-- ${marker}:start -->)[\\s\\S]*?(<!-- ${marker}:end -->)`);
    if (!re.test(text)) throw new Error(`README.md has no <!-- ${marker}:start --> / <!-- ${marker}:end --> markers`);
    return text.replace(
      re,
      `$1\n<!-- generated from action.yml by npm run docs; do not edit by hand -->\n\n${body}\n\n$2`,
    );
  };
  return put(put(readme, 'inputs', tables.inputs), 'outputs', tables.outputs);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const path = resolve(ROOT, 'README.md');
  const before = readFileSync(path, 'utf8');
  const after = withTables(before, renderTables(readActionYml()));
  if (after !== before) writeFileSync(path, after);
  console.log(after === before ? 'README tables are up to date.' : 'README tables regenerated from action.yml.');
}
