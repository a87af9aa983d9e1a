import type { Remedy } from './settings.js';
import { formatDuration } from '../time/duration.js';

/** A bad input: the message names the input and the accepted form. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export const SECOND = 1000;

export const REMEDIES: readonly Remedy[] = ['abort-and-rollback', 'abort', 'none'];

/** IDs travel in URLs and signatures: letters, digits and a few separators only (no spaces, no ?&=). */
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function checkId(name: string, value: string): void {
  if (!ID.test(value)) {
    throw new InputError(
      `Invalid input "${name}": ${quote(value)} is not an ID: use letters, digits, "-", "_", "." or ":" (at most 128 characters), e.g. 765fa5c0-9ebb-4bb4-b383-1f885447aaaa`,
    );
  }
}

const REGION = /^[a-z]{2,}(?:-[a-z0-9]+){1,4}$/;

export function parseRegion(value: string): string {
  if (!REGION.test(value))
    throw new InputError(
      `Invalid input "region-id": ${quote(value)} is not a region ID such as cn-hangzhou or ap-southeast-1`,
    );
  return value;
}

const LOOPBACK = new Set(['localhost', '[::1]']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** An endpoint is https://host[:port]; plain http only for loopback (tests and the demo), never across a network. */
export function parseEndpoint(
  value: string,
  name = 'endpoint',
  example = 'https://sae.cn-hangzhou.aliyuncs.com',
): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`Invalid input "${name}": ${quote(value)} is not a URL such as ${example}`);
  }
  const form = 'https://host[:port] with no path, query or credentials (http:// only for 127.0.0.1 or localhost)';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new InputError(
      `Invalid input "${name}": ${quote(value)} must use https:// (plain http:// is only allowed for loopback hosts); expected ${form}`,
    );
  }
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new InputError(`Invalid input "${name}": ${quote(value)} must be ${form}`);
  }
  return `${url.protocol}//${url.host}`;
}

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses `3s`, `90s`, `15m`, `2h`, `1h30m`, `7d` (a bare number means seconds) into milliseconds, within [min, max]. */
export function parseDuration(name: string, value: string, minMs: number, maxMs: number): number {
  const v = value.toLowerCase();
  const form = 'a duration such as 10s, 2m or 1h30m';
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * SECOND;
  else {
    const m = DURATION.exec(v);
    if (!v || !m || (!m[1] && !m[2] && !m[3] && !m[4]))
      throw new InputError(`Invalid input "${name}": ${quote(value)} is not ${form}`);
    ms = (Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) * SECOND;
  }
  if (!Number.isSafeInteger(ms) || ms < minMs || ms > maxMs) {
    throw new InputError(
      `Invalid input "${name}": ${quote(value)} is out of range: use ${form}, from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`,
    );
  }
  return ms;
}

export function parseCount(name: string, value: string, min: number, max: number): number {
  if (!/^\d{1,16}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(`Invalid input "${name}": ${quote(value)} is not a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

export function parseRemedy(name: string, value: string): Remedy {
  const v = value.toLowerCase() as Remedy;
  if (!REMEDIES.includes(v))
    throw new InputError(`Invalid input "${name}": ${quote(value)} is not one of ${REMEDIES.join(', ')}`);
  return v;
}

export function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  const v = value.toLowerCase() as T;
  if (!choices.includes(v))
    throw new InputError(`Invalid input "${name}": ${quote(value)} is not one of ${choices.join(', ')}`);
  return v;
}

/** Health checks reach the user's own application, so any http(s) URL is fine; nothing else is. */
export function parseHealthUrl(value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InputError(
      `Invalid input "health-check-url": ${quote(value)} is not an http(s) URL; give one URL per line, e.g. https://shop.example.com/healthz`,
    );
  }
  // fetch refuses every URL with credentials in it, and the value would be printed with the probe results: refuse it
  // here, naming the input but never the value (it holds a password).
  if (url.username || url.password) {
    throw new InputError(
      `Invalid input "health-check-url": a URL with credentials in it (user:password@host) is not accepted; the value is not shown. Use a URL that needs no credentials, e.g. https://shop.example.com/healthz`,
    );
  }
}

export function parseBoolean(name: string, value: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(`Invalid input "${name}": ${quote(value)} is not true or false`);
}

/** Quotes a value for an error message, shortened so a pasted blob cannot flood the log. */
export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}
