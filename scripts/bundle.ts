/**
 * npm run bundle: builds dist/ from src/ with ncc, as CommonJS.
 *
 * ncc writes an ES module when package.json says "type": "module", and Node's ES module loader costs about 10 ms at
 * every start on Node 20 and 24 (an empty .mjs file takes 10 ms longer than an empty .cjs file), a third of bare Node's
 * own start-up. So the bundle is built with ncc's `esm: false` and dist/package.json marks dist/ as CommonJS.
 * dist/ is emptied first, so chunks of lazily loaded modules never outlive their code. ncc's persistent cache is off:
 * its key ignores `esm`, so modules cached by an ES module build of the same path came back with ES module externals
 * (`import.meta.url`) inside this CommonJS bundle, and dist/ then depended on what had been built on the machine before.
 */
import ncc from '@vercel/ncc';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

async function build(entry: string, out: string): Promise<void> {
  const { code, assets } = await ncc(join(ROOT, entry), {
    esm: false,
    minify: true,
    quiet: true,
    license: 'licenses.txt',
    cache: false,
  });
  const write = (name: string, content: string | Buffer): void => {
    mkdirSync(dirname(join(out, name)), { recursive: true });
    writeFileSync(join(out, name), content);
  };
  write('index.js', code);
  for (const [name, asset] of Object.entries(assets)) write(name, asset.source);
}

rmSync(DIST, { recursive: true, force: true });
await build('src/index.ts', DIST);
await build('src/post-index.ts', join(DIST, 'post'));
writeFileSync(join(DIST, 'package.json'), '{ "type": "commonjs" }\n');
