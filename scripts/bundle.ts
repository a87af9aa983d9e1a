/**
 * npm run bundle: builds dist/ from src/ with ncc, as CommonJS, with a licenses.txt per bundle that names every
 * package bundled into it.
 *
 * ncc writes an ES module when package.json says "type": "module", and Node's ES module loader costs about 10 ms at
 * every start on Node 20 and 24 (an empty .mjs file takes 10 ms longer than an empty .cjs file), a third of bare Node's
 * own start-up. So the bundle is built with ncc's `esm: false` and dist/package.json marks dist/ as CommonJS.
 * dist/ is emptied first, so chunks of lazily loaded modules never outlive their code. ncc's persistent cache is off:
 * its key ignores `esm`, so modules cached by an ES module build of the same path came back with ES module externals
 * (`import.meta.url`) inside this CommonJS bundle, and dist/ then depended on what had been built on the machine before.
 *
 * ncc's own `license` option lists only the packages its license plugin sees in the main chunk: it missed
 * @alicloud/pop-core, p-retry, xml2js, json-bigint and more, which sit in lazily loaded chunks. So the build asks ncc
 * for source maps (which it does not write: dist/ stays as small as before), takes every node_modules package that a
 * map of the bundle or of one of its chunks names, and writes their licences itself.
 */
import ncc from '@vercel/ncc';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCli } from './cli.js';

export const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

/** The entries and where their bundles go, relative to the repository. */
export const ENTRIES = [
  { entry: 'src/index.ts', out: 'dist' },
  { entry: 'src/post-index.ts', out: 'dist/post' },
] as const;

export interface Bundle {
  /** File name (relative to the bundle's folder) -> content, as dist/ holds them, licenses.txt included. */
  readonly files: Record<string, string | Buffer>;
  /** Every module source the bundle's source maps name (paths as ncc gives them, e.g. ../node_modules/x/index.js). */
  readonly sources: readonly string[];
}

export interface BundledPackage {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  /** The package's licence file, or undefined when it ships none. */
  readonly text: string | undefined;
}

const MAP_COMMENT = /\n?\/\/# sourceMappingURL=[^\n]*\n?$/;

/** Builds one entry in memory: the files of dist/ for it and the module sources its maps name. */
export async function compile(entry: string): Promise<Bundle> {
  const { code, map, assets } = await ncc(join(ROOT, entry), {
    esm: false,
    minify: true,
    quiet: true,
    cache: false,
    sourceMap: true,
    sourceMapRegister: false,
  });
  const files: Record<string, string | Buffer> = { 'index.js': code.replace(MAP_COMMENT, '') };
  const maps = [map ?? ''];
  for (const [name, asset] of Object.entries(assets)) {
    if (name.endsWith('.map')) maps.push(String(asset.source));
    else if (name.endsWith('.js')) files[name] = String(asset.source).replace(MAP_COMMENT, '');
    else files[name] = asset.source;
  }
  const sources = maps.filter(Boolean).flatMap((m) => (JSON.parse(m) as { sources: string[] }).sources);
  files['licenses.txt'] = renderLicenses(bundledPackages(sources));
  return { files, sources };
}

/** The package folder (relative to ROOT) a module source belongs to: up to the last node_modules/<name>. */
export function packageDir(source: string): string | undefined {
  const start = source.indexOf('node_modules/');
  if (start < 0) return undefined;
  return /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(source.slice(start))?.[1];
}

const LICENSE_FILE = /^(licen[cs]e|copying)([.-].*)?$/i;

/** Every package the sources come from, with its licence, sorted by name. */
export function bundledPackages(sources: readonly string[]): BundledPackage[] {
  const dirs = new Set(sources.map(packageDir).filter((d): d is string => d !== undefined));
  const packages = [...dirs].map((dir): BundledPackage => {
    const abs = join(ROOT, dir);
    const pkg = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string | { type?: string };
    };
    const file = readdirSync(abs)
      .filter((f) => LICENSE_FILE.test(f))
      .sort()[0];
    const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
    return {
      name: pkg.name,
      version: pkg.version,
      license,
      text: file ? readFileSync(join(abs, file), 'utf8').trim() : readmeLicense(abs),
    };
  });
  return packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1));
}

/** The "License" section of a package's README, for packages that ship no licence file (pop-core, httpx). */
function readmeLicense(dir: string): string | undefined {
  const readme = readdirSync(dir).find((f) => /^readme(\.md)?$/i.test(f));
  if (!readme) return undefined;
  const m = /^(#+)\s*Licen[cs]e\b[^\n]*\n([\s\S]*?)(?=^#+\s|(?![\s\S]))/im.exec(
    readFileSync(join(dir, readme), 'utf8'),
  );
  const text = m?.[2]?.trim();
  return text ? `(from the package's ${readme}: it ships no licence file)\n\n${text}` : undefined;
}

const RULE = '='.repeat(80);

/** licenses.txt: one section per package, headed `name@version (licence)` between two rules. */
export function renderLicenses(packages: readonly BundledPackage[]): string {
  const head = `Third-party software bundled into this file's folder (${packages.length} packages), with their licences.\n`;
  const sections = packages.map(
    (p) =>
      `${RULE}\n${p.name}@${p.version} (${p.license})\n${RULE}\n${p.text ?? `The package ships no licence file; its package.json says ${p.license}.`}\n`,
  );
  return [head, ...sections].join('\n');
}

/** The `name@version` headings of a licenses.txt. */
export function listedPackages(licenses: string): string[] {
  return [...licenses.matchAll(new RegExp(`^${RULE}\\n(\\S+@[^\\s@]+) \\(.*\\)\\n${RULE}$`, 'gm'))].map(
    (m) => m[1] ?? '',
  );
}

const USAGE = `Usage: npm run bundle [-- options]

Builds dist/ (the action's entry and its post step) from src/ with ncc, with a licenses.txt per bundle.

Options:
  --out DIR    write the bundles to DIR instead of dist/ (DIR/post for the post step); DIR is emptied first
  --sources    also write sources.json beside each bundle: the module sources its source maps name
  -h, --help   print this and exit
`;

async function main(): Promise<void> {
  const { values } = readCli(USAGE, { out: { type: 'string' }, sources: { type: 'boolean' } });
  const dist = values.out ? resolve(values.out) : DIST;
  rmSync(dist, { recursive: true, force: true });
  for (const { entry, out } of ENTRIES) {
    const { files, sources } = await compile(entry);
    const dir = join(dist, out.slice('dist'.length));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    if (values.sources) writeFileSync(join(dir, 'sources.json'), JSON.stringify(sources, null, 1) + '\n');
  }
  writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
