/**
 * Every secret the process knows, and the one scrubber that removes them from whatever leaves it: log lines, outputs,
 * the summary and the state (src/runner/core.ts sends everything through it). A server that echoes a token back (a
 * SignatureDoesNotMatch with the string-to-sign, an STS error with the OIDC token, a GitHub error) cannot get it out.
 */
import { issueCommand } from '../../node_modules/@actions/core/lib/command.js';

const REDACTED = '***';
/** Shorter values are not secrets worth scrubbing (and would wreck every line they occur in). */
const MIN_LENGTH = 4;

const known = new Set<string>();
/** Every form to scrub, longest first, so a secret inside another is not half-replaced. */
let forms: string[] = [];

/**
 * Registers a secret: the runner masks it (::add-mask::, each line of a multi-line value as well) and the scrubber
 * removes it, as it is and in its URL-encoded forms, from every string that leaves the process from now on.
 */
export function registerSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_LENGTH || known.has(secret)) return;
  known.add(secret);
  const variants = new Set([
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  ]);
  for (const line of secret.split(/\r?\n/)) if (line.trim().length >= MIN_LENGTH) variants.add(line.trim());
  for (const v of variants) issueCommand('add-mask', {}, v);
  forms = [...new Set([...forms, ...variants])].sort((a, b) => b.length - a.length);
}

/** `text` with every registered secret replaced by "***". */
export function scrub(text: string): string {
  let out = text;
  for (const f of forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
  return out;
}

/** How many secrets are registered (for tests). */
export function secretCount(): number {
  return known.size;
}
