/**
 * npm run release: publishes the version package.json names, in the spirit of actions/typescript-action's
 * script/release. From a clean main that is what origin/main is, whose dist/ is what the sources build to and whose CI
 * passed, it tags vX.Y.Z, moves the major tag vX to it, pushes both, and creates the GitHub release with the CHANGELOG
 * section of that version as its notes. The release workflow (.github/workflows/release.yml) runs it after attesting
 * the build provenance of dist/.
 *
 * --dry-run makes the local checks and prints every command it would run; it never pushes, never calls GitHub and
 * creates no tag. The steps are idempotent: a tag that already points at HEAD and a release that already exists are
 * left as they are, so a failed run can be run again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCli } from './cli.js';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;
/** A release heading: `## 1.0.0 - 2026-12-02` (or `## [1.0.0] - 2026-12-02`). */
const RELEASE_HEADING = /^## \[?(\d+\.\d+\.\d+)\]?(?: - (\d{4}-\d{2}-\d{2}))?\s*$/m;
/** The workflows that must have passed on the commit being released. */
export const REQUIRED_WORKFLOWS = ['.github/workflows/ci.yml', '.github/workflows/check-dist.yml'];

/** What the checks and the plan need to know about the repository. */
export interface ReleaseFacts {
  readonly version: string;
  readonly changelog: string;
  readonly branch: string;
  readonly head: string;
  /** origin/main as this clone last fetched it; undefined when there is none. */
  readonly remoteHead: string | undefined;
  /** `git status --porcelain` lines. */
  readonly dirty: readonly string[];
  /** Tag name -> the commit it points to. */
  readonly tags: ReadonlyMap<string, string>;
  /** Whether dist/ equals a fresh build; undefined when not checked. */
  readonly distMatches: boolean | undefined;
  readonly remote: string;
}

export interface Step {
  /** What the step does, in words. */
  readonly say: string;
  readonly argv: readonly string[];
  /** It changes something outside this clone (a push, a GitHub call). */
  readonly remote: boolean;
}

export interface ReleasePlan {
  readonly tag: string;
  readonly major: string;
  readonly notes: string;
  /** Why the release must not happen; empty when it may. */
  readonly problems: readonly string[];
  readonly steps: readonly Step[];
}

/** The version of the first release heading of the CHANGELOG (the one under "Unreleased"). */
export function changelogVersion(changelog: string): string | undefined {
  return RELEASE_HEADING.exec(changelog)?.[1];
}

/** The text of the CHANGELOG section of `version`, without its heading; '' when there is none. */
export function releaseNotes(changelog: string, version: string): string {
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) => RELEASE_HEADING.exec(l)?.[1] === version);
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

/** The entries under "## Unreleased" (which a release would leave out). */
function unreleased(changelog: string): string {
  const m = /^## Unreleased\s*\n([\s\S]*?)(?=^## )/m.exec(changelog);
  return (m?.[1] ?? '').trim();
}

const compare = (a: string, b: string): number => {
  const [x, y] = [SEMVER.exec(a.slice(1)), SEMVER.exec(b.slice(1))];
  for (let i = 1; i <= 3; i++) if (Number(x?.[i]) !== Number(y?.[i])) return Number(x?.[i]) - Number(y?.[i]);
  return 0;
};

/** Checks the facts and says what the release does. Pure: gathering and running are elsewhere. */
export function planRelease(facts: ReleaseFacts): ReleasePlan {
  const problems: string[] = [];
  const semver = SEMVER.exec(facts.version);
  if (!semver) problems.push(`package.json version ${JSON.stringify(facts.version)} is not MAJOR.MINOR.PATCH`);
  const tag = `v${facts.version}`;
  const major = `v${semver?.[1] ?? '?'}`;

  const heading = changelogVersion(facts.changelog);
  if (heading !== facts.version)
    problems.push(
      heading
        ? `CHANGELOG.md's latest release is ${heading}, package.json says ${facts.version}: add a "## ${facts.version} - YYYY-MM-DD" section`
        : `CHANGELOG.md has no release section: add "## ${facts.version} - YYYY-MM-DD" under "## Unreleased"`,
    );
  const notes = releaseNotes(facts.changelog, facts.version);
  if (heading === facts.version && !notes) problems.push(`CHANGELOG.md's ${facts.version} section is empty`);
  if (unreleased(facts.changelog))
    problems.push(`CHANGELOG.md has entries under "Unreleased": move them into the ${facts.version} section`);

  if (facts.branch !== 'main') problems.push(`releases are made from main, not ${facts.branch}`);
  if (facts.dirty.length) problems.push(`the work tree has changes: ${facts.dirty.slice(0, 5).join(', ')}`);
  if (facts.remoteHead === undefined) problems.push(`there is no ${facts.remote}/main to compare with`);
  else if (facts.remoteHead !== facts.head)
    problems.push(`HEAD ${facts.head.slice(0, 12)} is not ${facts.remote}/main ${facts.remoteHead.slice(0, 12)}`);
  if (facts.distMatches === false) problems.push('dist/ is not what the sources build to: run npm run bundle');

  const tagged = facts.tags.get(tag);
  if (tagged !== undefined && tagged !== facts.head)
    problems.push(`${tag} already exists, at ${tagged.slice(0, 12)}: bump the version in package.json`);
  const newer = [...facts.tags.keys()]
    .filter((t) => SEMVER.test(t.slice(1)) && t.startsWith(`${major}.`) && compare(t, tag) > 0)
    .sort(compare);
  if (semver && newer.length)
    problems.push(`${newer[newer.length - 1]} is newer than ${tag}: ${major} would move back`);

  const steps: Step[] = [];
  if (tagged === undefined)
    steps.push({
      say: `tag ${tag} at ${facts.head.slice(0, 12)}`,
      argv: ['git', 'tag', '--annotate', tag, '--message', `${tag}`, facts.head],
      remote: false,
    });
  if (facts.tags.get(major) !== facts.head)
    steps.push({
      say: facts.tags.has(major)
        ? `move ${major} from ${facts.tags.get(major)?.slice(0, 12)} to ${tag}`
        : `create ${major} at ${tag}`,
      argv: ['git', 'tag', '--force', '--annotate', major, '--message', `${major} -> ${tag}`, facts.head],
      remote: false,
    });
  steps.push(
    { say: `push ${tag}`, argv: ['git', 'push', facts.remote, `refs/tags/${tag}`], remote: true },
    {
      say: `push ${major} (moved, so forced)`,
      argv: ['git', 'push', '--force', facts.remote, `refs/tags/${major}`],
      remote: true,
    },
    {
      say: `create the GitHub release ${tag} with the CHANGELOG section as its notes (unless it exists)`,
      argv: ['gh', 'release', 'create', tag, '--verify-tag', '--title', tag, '--notes-file', '<notes>'],
      remote: true,
    },
  );
  return { tag, major, notes, problems, steps };
}

function git(cwd: string, ...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim() };
}

/** Reads the facts from the clone at `cwd`: local git only, nothing remote. */
export function gatherFacts(cwd: string, remote: string, distMatches: boolean | undefined): ReleaseFacts {
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { version: string };
  const tags = new Map<string, string>();
  for (const line of git(
    cwd,
    'tag',
    '--list',
    'v*',
    '--format=%(refname:short) %(objectname) %(*objectname)',
  ).out.split('\n')) {
    const [name, object, peeled] = line.split(' ');
    if (name && object) tags.set(name, peeled || object);
  }
  const remoteHead = git(cwd, 'rev-parse', '--verify', '--quiet', `refs/remotes/${remote}/main`);
  return {
    version: pkg.version,
    changelog: readFileSync(join(cwd, 'CHANGELOG.md'), 'utf8'),
    branch: git(cwd, 'rev-parse', '--abbrev-ref', 'HEAD').out,
    head: git(cwd, 'rev-parse', 'HEAD').out,
    remoteHead: remoteHead.ok ? remoteHead.out : undefined,
    dirty: git(cwd, 'status', '--porcelain').out.split('\n').filter(Boolean),
    tags,
    distMatches,
    remote,
  };
}

function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** Builds into a temporary folder (dist/ is not touched) and compares every file with dist/. */
function distIsFresh(cwd: string): boolean {
  const out = mkdtempSync(join(tmpdir(), 'release-dist-'));
  try {
    const build = spawnSync(resolve(cwd, 'node_modules/.bin/tsx'), ['scripts/bundle.ts', '--out', out], {
      cwd,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (build.status !== 0) return false;
    const [fresh, dist] = [filesUnder(out), filesUnder(join(cwd, 'dist'))];
    return fresh.size === dist.size && [...fresh].every(([name, content]) => dist.get(name)?.equals(content) === true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The workflows of REQUIRED_WORKFLOWS that have no successful run on `sha` (asks GitHub through gh). */
function workflowsNotGreen(cwd: string, sha: string): string[] {
  const r = spawnSync(
    'gh',
    [
      'api',
      '--method',
      'GET',
      'repos/{owner}/{repo}/actions/runs',
      '-f',
      `head_sha=${sha}`,
      '-f',
      'per_page=100',
      '--jq',
      '.workflow_runs[] | select(.conclusion == "success") | .path',
    ],
    { cwd, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`Could not read the workflow runs of ${sha} from GitHub: ${r.stderr.trim()}`);
  const green = new Set(r.stdout.split('\n').map((l) => l.trim()));
  return REQUIRED_WORKFLOWS.filter((w) => !green.has(w));
}

const USAGE = `Usage: npm run release -- [--dry-run] [--remote NAME] [--no-dist-check]

Tags the version in package.json as vX.Y.Z, moves vX to it, pushes both and creates the GitHub release with the
CHANGELOG section as notes. Run it on a clean, up-to-date main; the release workflow runs it for you.

Options:
  --dry-run        make the local checks and print what would be done; push nothing, call nothing, tag nothing
  --remote NAME    the remote to compare with and push to (default origin)
  --no-dist-check  do not rebuild dist/ to compare it (the release workflow has just checked it)
  -h, --help       print this and exit
`;

function main(): void {
  const { values } = readCli(USAGE, {
    'dry-run': { type: 'boolean' },
    remote: { type: 'string', default: 'origin' },
    'no-dist-check': { type: 'boolean' },
  });
  const dryRun = values['dry-run'] === true;
  const cwd = git(process.cwd(), 'rev-parse', '--show-toplevel').out || process.cwd();
  const say = (line: string): boolean => process.stdout.write(`${line}\n`);

  const distMatches = values['no-dist-check'] ? undefined : distIsFresh(cwd);
  const facts = gatherFacts(cwd, values.remote, distMatches);
  const plan = planRelease(facts);
  say(
    `${dryRun ? 'Dry run: ' : ''}release ${plan.tag} (${plan.major}) from ${facts.branch} at ${facts.head.slice(0, 12)}`,
  );
  say(
    distMatches === undefined
      ? '- dist/: not rebuilt (--no-dist-check)'
      : `- dist/: ${distMatches ? 'matches a fresh build' : 'DIFFERS from a fresh build'}`,
  );
  say(`- CI (${REQUIRED_WORKFLOWS.join(', ')}): ${dryRun ? 'would be checked on GitHub' : 'checked on GitHub next'}`);
  for (const p of plan.problems) say(`- problem: ${p}`);
  say(`Notes (CHANGELOG ${facts.version}): ${plan.notes.split('\n').length} lines`);
  for (const s of plan.steps) say(`${dryRun ? 'would' : 'will'} ${s.say}: ${s.argv.join(' ')}`);
  if (plan.problems.length) {
    say(`Not released: ${plan.problems.length} problem(s).`);
    process.exitCode = 1;
    return;
  }
  if (dryRun) {
    say('Dry run: nothing was tagged, pushed or published.');
    return;
  }

  const red = workflowsNotGreen(cwd, facts.head);
  if (red.length) {
    say(`Not released: no successful run of ${red.join(', ')} on ${facts.head.slice(0, 12)}.`);
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'release-notes-'));
  const notesFile = join(dir, 'notes.md');
  writeFileSync(notesFile, `${plan.notes}\n`);
  try {
    for (const s of plan.steps) {
      if (s.argv[0] === 'gh' && spawnSync('gh', ['release', 'view', plan.tag], { cwd, stdio: 'ignore' }).status === 0) {
        say(`- the GitHub release ${plan.tag} exists already`);
        continue;
      }
      say(`- ${s.say}`);
      const argv = s.argv.map((a) => (a === '<notes>' ? notesFile : a));
      const [command = '', ...args] = argv;
      const r = spawnSync(command, args, { cwd, stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  say(`Released ${plan.tag}; ${plan.major} points to it.`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
