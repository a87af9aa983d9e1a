/** The release script: its checks and plan (pure), a dry run in a scratch clone (nothing pushed, tagged or called), and the versions of this repository agreeing. */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { changelogVersion, planRelease, releaseNotes, type ReleaseFacts } from '../scripts/release.js';
import { ROOT } from '../scripts/docs.js';

const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);
const CHANGELOG = `# Changelog

## Unreleased

## 1.2.0 - 2026-12-01

### Added
- A thing users wanted.

## 1.1.0 - 2026-11-01

- Older.
`;
const facts = (over: Partial<ReleaseFacts> = {}): ReleaseFacts => ({
  version: '1.2.0',
  changelog: CHANGELOG,
  branch: 'main',
  head: HEAD,
  remoteHead: HEAD,
  dirty: [],
  tags: new Map([
    ['v1.1.0', OLD],
    ['v1', OLD],
  ]),
  distMatches: true,
  remote: 'origin',
  ...over,
});

describe('releaseNotes and changelogVersion', () => {
  it('take the first release under Unreleased, and the text of a version section without its heading', () => {
    expect(changelogVersion(CHANGELOG)).toBe('1.2.0');
    expect(releaseNotes(CHANGELOG, '1.2.0')).toBe('### Added\n- A thing users wanted.');
    expect(releaseNotes(CHANGELOG, '1.1.0')).toBe('- Older.');
    expect(releaseNotes(CHANGELOG, '9.9.9')).toBe('');
    expect(changelogVersion('## [2.0.0] - 2027-01-01\n')).toBe('2.0.0');
  });
});

describe('planRelease', () => {
  it('tags vX.Y.Z, moves vX, pushes both and creates the release, on a clean, green main', () => {
    const plan = planRelease(facts());
    expect(plan.problems).toEqual([]);
    expect([plan.tag, plan.major]).toEqual(['v1.2.0', 'v1']);
    expect(plan.notes).toBe('### Added\n- A thing users wanted.');
    expect(plan.steps.map((s) => [s.argv.join(' '), s.remote])).toEqual([
      [`git tag --annotate v1.2.0 --message v1.2.0 ${HEAD}`, false],
      [`git tag --force --annotate v1 --message v1 -> v1.2.0 ${HEAD}`, false],
      ['git push origin refs/tags/v1.2.0', true],
      ['git push --force origin refs/tags/v1', true],
      ['gh release create v1.2.0 --verify-tag --title v1.2.0 --notes-file <notes>', true],
    ]);
    expect(plan.steps[1]?.say).toBe(`move v1 from ${OLD.slice(0, 12)} to v1.2.0`);
  });

  it('creates the major tag of a first release', () => {
    const plan = planRelease(facts({ tags: new Map() }));
    expect(plan.steps[1]?.say).toBe('create v1 at v1.2.0');
  });

  it('can be run again: a tag already at HEAD is kept', () => {
    const plan = planRelease(
      facts({
        tags: new Map([
          ['v1.2.0', HEAD],
          ['v1', HEAD],
        ]),
      }),
    );
    expect(plan.problems).toEqual([]);
    expect(plan.steps.map((s) => s.argv[1])).toEqual(['push', 'push', 'release']);
  });

  it.each<[string, Partial<ReleaseFacts>, RegExp]>([
    ['a version that is not semver', { version: '1.2' }, /"1.2" is not MAJOR.MINOR.PATCH/],
    ['a CHANGELOG for another version', { version: '1.3.0' }, /latest release is 1.2.0, package.json says 1.3.0/],
    ['no release section', { changelog: '# Changelog\n\n## Unreleased\n' }, /has no release section/],
    [
      'entries left under Unreleased',
      { changelog: CHANGELOG.replace('## Unreleased\n', '## Unreleased\n\n- Not released yet.\n') },
      /entries under "Unreleased"/,
    ],
    ['another branch', { branch: 'feature' }, /from main, not feature/],
    ['a dirty work tree', { dirty: [' M src/main.ts'] }, /the work tree has changes: {2}M src\/main.ts/],
    ['HEAD behind origin/main', { remoteHead: OLD }, /is not origin\/main/],
    ['no origin/main', { remoteHead: undefined }, /no origin\/main/],
    ['a stale dist/', { distMatches: false }, /dist\/ is not what the sources build to/],
    ['a tag that exists elsewhere', { tags: new Map([['v1.2.0', OLD]]) }, /v1.2.0 already exists/],
    [
      'a newer release of the major',
      { tags: new Map([['v1.10.0', OLD]]) },
      /v1.10.0 is newer than v1.2.0: v1 would move back/,
    ],
  ])('refuses %s', (_what, over, problem) => {
    // Each check says its own thing: only a bad version also fails the CHANGELOG check that compares it.
    const { problems } = planRelease(facts(over));
    expect(problems).toHaveLength(over.version === '1.2' ? 2 : 1);
    expect(problems[0]).toMatch(problem);
  });
});

describe('this repository', () => {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string };
  const changelog = readFileSync(resolve(ROOT, 'CHANGELOG.md'), 'utf8');

  it('names one version in package.json, the CHANGELOG heading and the tag the script makes', () => {
    expect(changelogVersion(changelog)).toBe(pkg.version);
    expect(releaseNotes(changelog, pkg.version).length).toBeGreaterThan(100);
    const plan = planRelease({
      ...facts({ tags: new Map() }),
      version: pkg.version,
      changelog: changelog.replace(/^## Unreleased\n[\s\S]*?(?=^## )/m, ''),
    });
    expect(plan.tag).toBe(`v${pkg.version}`);
    expect(plan.problems).toEqual([]);
  });
});

describe('npm run release -- --dry-run', () => {
  function scratch(version: string): {
    dir: string;
    origin: string;
    calls: string;
    run: () => ReturnType<typeof spawnSync>;
  } {
    const base = mkdtempSync(join(tmpdir(), 'release-'));
    const dir = join(base, 'clone');
    const origin = join(base, 'origin.git');
    const bin = join(base, 'bin');
    const calls = join(base, 'gh-calls');
    mkdirSync(dir);
    mkdirSync(bin);
    // A gh that only records that it was called: a dry run must never reach it.
    writeFileSync(join(bin, 'gh'), `#!/bin/sh\necho "$@" >> '${calls}'\nexit 1\n`);
    chmodSync(join(bin, 'gh'), 0o755);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version }));
    writeFileSync(join(dir, 'CHANGELOG.md'), CHANGELOG);
    const g = (...args: string[]) => {
      const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout.trim();
    };
    spawnSync('git', ['init', '--quiet', '--bare', origin]);
    g('init', '--quiet', '--initial-branch=main');
    g('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.');
    g('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'release');
    g('remote', 'add', 'origin', origin);
    g('push', '--quiet', 'origin', 'main');
    const run = () =>
      spawnSync(
        resolve(ROOT, 'node_modules/.bin/tsx'),
        [resolve(ROOT, 'scripts/release.ts'), '--dry-run', '--no-dist-check'],
        {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
        },
      );
    return { dir, origin, calls, run };
  }
  const tagsOf = (gitDir: string) =>
    spawnSync('git', ['--git-dir', gitDir, 'tag', '--list'], { encoding: 'utf8' }).stdout.trim();

  it('prints every step it would take, and tags, pushes and calls nothing', () => {
    const { dir, origin, calls, run } = scratch('1.2.0');
    try {
      const r = run();
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = String(r.stdout);
      expect(out).toContain('Dry run: release v1.2.0 (v1) from main at ');
      expect(out).toContain('would tag v1.2.0 at ');
      expect(out).toContain('would create v1 at v1.2.0: git tag --force --annotate v1');
      expect(out).toContain('would push v1.2.0: git push origin refs/tags/v1.2.0');
      expect(out).toContain('would create the GitHub release v1.2.0 with the CHANGELOG section as its notes');
      expect(out).toContain('Dry run: nothing was tagged, pushed or published.');
      expect([tagsOf(join(dir, '.git')), tagsOf(origin)]).toEqual(['', '']);
      expect(existsSync(calls)).toBe(false);
    } finally {
      rmSync(resolve(dir, '..'), { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses when package.json and the CHANGELOG disagree, and says why', () => {
    const { dir, run } = scratch('1.3.0');
    try {
      const r = run();
      expect(r.status).toBe(1);
      expect(String(r.stdout)).toContain("- problem: CHANGELOG.md's latest release is 1.2.0, package.json says 1.3.0");
      expect(String(r.stdout)).toContain('Not released: 1 problem(s).');
      expect(tagsOf(join(dir, '.git'))).toBe('');
    } finally {
      rmSync(resolve(dir, '..'), { recursive: true, force: true });
    }
  }, 60_000);

  it('says an unknown flag is an error', () => {
    const r = spawnSync(resolve(ROOT, 'node_modules/.bin/tsx'), [resolve(ROOT, 'scripts/release.ts'), '--dryrun'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--dryrun'");
    expect(r.stderr).toContain('Usage: npm run release');
  });
});
