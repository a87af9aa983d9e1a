/** What the end-to-end test files share: the fake cloud's default key pair, unique IDs, and polling for a condition. */
export { DEFAULT_ACCESS_KEY_ID as KEY_ID, DEFAULT_ACCESS_KEY_SECRET as SECRET } from '../fake/cloud.js';

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
