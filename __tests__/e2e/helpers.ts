/** What the end-to-end test files share: the fake cloud's default key pair, inputs, unique IDs, and polling for a condition. */
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../__fixtures__/cloud.js';

export const KEY_ID = DEFAULT_ACCESS_KEY_ID;
export const SECRET = DEFAULT_ACCESS_KEY_SECRET;

/** The inputs a run against the fake cloud at `endpoint` starts from: its default key pair, 1 s polls; `over` adds or replaces. */
export function keyInputs(endpoint: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    'region-id': 'cn-hangzhou',
    endpoint,
    'access-key-id': KEY_ID,
    'access-key-secret': SECRET,
    'poll-interval': '1s',
    ...over,
  };
}

let counter = 0;
/** A change-order (or app) ID no other test in the run uses. */
export const nextId = (prefix: string): string => `${prefix}-${++counter}-${Date.now().toString(36)}`;

/** Resolves once `cond()` holds; rejects after `ms`. */
export async function waitFor(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
