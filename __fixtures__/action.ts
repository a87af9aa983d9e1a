import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
/** The Node that runs dist/ (GATE_NODE lets CI run the same tests on Node 24, the runners' runtime). */
export const NODE = process.env.GATE_NODE || process.execPath;

export interface ActionRun {
  /** The directory holding the runner files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_STATE). */
  dir: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  state: Record<string, string>;
  /** The raw text of every file the runner would read back, for leak checks. */
  files: string;
  ms: number;
}

export interface StartOptions {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** Script to run, relative to the repository: dist/index.js (main) or the post step. */
  entry?: string;
  /** STATE_* values, as the runner passes them to the post step. */
  state?: Record<string, string>;
  /** Keep the runner files in this directory (the demo shows them) instead of a temporary one. */
  dir?: string;
  /** Called with each chunk the action prints (the demo streams the log). */
  onStdout?: (chunk: string) => void;
}

/** Runs the bundled action as the GitHub runner does: INPUT_* variables, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files. */
export function startAction(options: StartOptions): { child: ChildProcess; done: Promise<ActionRun> } {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'gate-run-'));
  mkdirSync(dir, { recursive: true });
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_STATE: join(dir, 'state'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    ...files,
  };
  for (const [k, v] of Object.entries(options.inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(options.state ?? {})) env[`STATE_${k}`] = v;
  Object.assign(env, options.env ?? {});
  const started = Date.now();
  // GATE_DIST runs another build in dist/'s place (e.g. an old one, to see which tests fail without a fix).
  const entry = options.entry ?? 'dist/index.js';
  const script = process.env.GATE_DIST ? join(process.env.GATE_DIST, entry.replace(/^dist\//, '')) : join(ROOT, entry);
  const child = spawn(NODE, [script], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    options.onStdout?.(d.toString());
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ActionRun>((resolveRun) => {
    child.on('close', (code, signal) => {
      const read = (f: string) => readFileSync(f, 'utf8');
      const run: ActionRun = {
        dir,
        code,
        signal,
        stdout,
        stderr,
        outputs: parseFileCommand(read(files.GITHUB_OUTPUT)),
        summary: read(files.GITHUB_STEP_SUMMARY),
        state: parseFileCommand(read(files.GITHUB_STATE)),
        files: Object.values(files).map(read).join('\n'),
        ms: Date.now() - started,
      };
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
      resolveRun(run);
    });
  });
  return { child, done };
}

export function runAction(options: StartOptions): Promise<ActionRun> {
  return startAction(options).done;
}

/** Parses the runner's file-command format: `name<<DELIM\nvalue\nDELIM`. */
export function parseFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const [, name = '', delimiter] = m;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    out[name] = value.join('\n');
  }
  return out;
}

/** The log lines a user sees (workflow commands like ::debug:: hidden unless debug is on). */
export function visibleLog(run: ActionRun): string {
  return run.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::debug::'))
    .join('\n');
}

/**
 * Everything a person or a later step could read: the log (minus the `::add-mask::` commands, which the runner
 * consumes to do the masking and never shows), the summary, the outputs and the state.
 */
export function readableText(run: ActionRun): string {
  const log = (text: string) =>
    text
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
  return [log(run.stdout), log(run.stderr), run.files].join('\n');
}
