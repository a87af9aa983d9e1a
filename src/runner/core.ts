/**
 * The parts of @actions/core the action uses, without the cost of loading all of it at start-up.
 *
 * @actions/core's entry module imports its OIDC client, and with it @actions/http-client and undici: about 70 ms and
 * 18 MiB on every run, for a function (getIDToken) that only OIDC runs need. Everything here is @actions/core's own
 * code, taken from its command, file-command and utils modules (which load nothing heavy); the entry module
 * itself, for getIDToken, is imported on first use. The wrappers mirror core.js's one-liners exactly.
 */
import type * as Core from '@actions/core';
import { appendFile } from 'node:fs';
import { EOL } from 'node:os';
import { issueCommand } from '../../node_modules/@actions/core/lib/command.js';
import { issueFileCommand, prepareKeyValueMessage } from '../../node_modules/@actions/core/lib/file-command.js';
import { toCommandProperties, toCommandValue } from '../../node_modules/@actions/core/lib/utils.js';
import { bound, sanitizeLine } from './sanitize.js';
import { registerSecret, scrub } from './secrets.js';

/**
 * Everything this module writes goes through two doors: scrub() removes every registered secret (src/runner/secrets.ts),
 * and log lines are then made single, bounded and command-free (src/runner/sanitize.ts). No caller can print past them.
 */

/** An output or a state value holds at most this many characters (the runner refuses files over 1 MiB in all). */
export const VALUE_MAX = 64 * 1024;
/** The summary this process appends holds at most this many characters (GitHub refuses a step summary over 1 MiB). */
export const SUMMARY_MAX = 512 * 1024;

/** A log line as it may be printed: secrets scrubbed, then sanitised. */
export const logLine = (message: string): string => sanitizeLine(scrub(message));

/**
 * Appends Markdown to the job summary, as core.summary.addRaw(markdown, true).write() does, through node:fs's callback
 * API: @actions/core's summary module loads fs/promises at import, which on Node 24 also loads readline and the REPL
 * history (1.3 MiB of the peak RSS of every run).
 */
export function appendSummary(markdown: string): Promise<void> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) {
    return Promise.reject(
      new Error(
        'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
      ),
    );
  }
  return new Promise((resolve, reject) =>
    appendFile(path, bound(scrub(markdown), SUMMARY_MAX) + EOL, { encoding: 'utf8' }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

export const getInput: typeof Core.getInput = (name, options) => {
  const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
  if (options?.required && !val) throw new Error(`Input required and not supplied: ${name}`);
  return options?.trimWhitespace === false ? val : val.trim();
};

/** Writes a key=value file command when the runner gave a file, else the legacy stdout command. */
function keyValue(file: string, legacy: string, name: string, raw: unknown): void {
  const value = bound(scrub(toCommandValue(raw)), VALUE_MAX);
  const filePath = process.env[file] || '';
  if (filePath) return issueFileCommand(file.replace(/^GITHUB_/, ''), prepareKeyValueMessage(name, value));
  if (legacy === 'set-output') process.stdout.write(EOL);
  issueCommand(legacy, { name }, toCommandValue(value));
}

export const setOutput: typeof Core.setOutput = (name, value) => keyValue('GITHUB_OUTPUT', 'set-output', name, value);
export const saveState: typeof Core.saveState = (name, value) => keyValue('GITHUB_STATE', 'save-state', name, value);
export const getState: typeof Core.getState = (name) => process.env[`STATE_${name}`] || '';
export const setSecret: typeof Core.setSecret = (secret) => registerSecret(secret);
export const isDebug: typeof Core.isDebug = () => process.env.RUNNER_DEBUG === '1';
export const debug: typeof Core.debug = (message) => issueCommand('debug', {}, logLine(message));
export const info: typeof Core.info = (message) => void process.stdout.write(logLine(message) + EOL);

const annotation =
  (command: 'error' | 'warning' | 'notice') =>
  (message: string | Error, properties: Core.AnnotationProperties = {}): void =>
    issueCommand(
      command,
      toCommandProperties(properties),
      logLine(message instanceof Error ? message.toString() : message),
    );
export const error: typeof Core.error = annotation('error');
export const warning: typeof Core.warning = annotation('warning');
export const notice: typeof Core.notice = annotation('notice');

export const setFailed: typeof Core.setFailed = (message) => {
  process.exitCode = 1;
  error(message);
};

/** Loads the whole of @actions/core (and its HTTP client) only when an OIDC token is needed. */
export const getIDToken: typeof Core.getIDToken = async (audience) => {
  const core = await import('@actions/core');
  return core.getIDToken(audience);
};
