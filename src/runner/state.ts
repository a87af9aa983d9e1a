/**
 * Names of the values main saves for the post step (core.saveState; the runner hands them to post as STATE_*).
 * This is the only channel from main to post.
 */
export const STATE = {
  /** The change order main was gating. */
  changeOrderId: 'change-order-id',
  /** "true" once nothing is left for the safety net: the order settled, a remedy was confirmed, or main finished. */
  done: 'done',
  /** Which run (and attempt) saved the state: the post step acts only on an order of its own run. */
  run: 'run',
  /** The app main gated (app-id input or event), when known: the post step acts only on an order of that app. */
  appId: 'app-id',
  /** The remedy main was applying when it stopped (e.g. abort-and-rollback on a failure): the post step applies the same. */
  remedy: 'remedy',
} as const;

/** What the post step has to do, decided from the saved state alone. */
export type PostPlan =
  { readonly act: true; readonly changeOrderId: string } | { readonly act: false; readonly reason: string };

export function planPost(getState: (name: string) => string): PostPlan {
  const changeOrderId = getState(STATE.changeOrderId);
  if (!changeOrderId) return { act: false, reason: 'the main step never started a watch' };
  if (getState(STATE.done) === 'true') return { act: false, reason: 'the main step settled or remedied the release' };
  return { act: true, changeOrderId };
}

/**
 * The run that saves or reads the state: run ID, attempt and step (GITHUB_ACTION), so a state copied from another run,
 * attempt or step (or set by hand as STATE_* variables) names no order this post step may touch.
 */
export function runKey(env: NodeJS.ProcessEnv): string {
  const parts = [env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT, env.GITHUB_ACTION].map((v) => v ?? '');
  // Outside a runner (local runs, unit tests) there is no run to tell apart: the key is empty.
  return parts.some(Boolean) ? parts.join('/') : '';
}

/** Why the saved order is not this post step's to touch, or undefined when it is (same run, same app). */
export function foreignState(
  getState: (name: string) => string,
  env: NodeJS.ProcessEnv,
  appIdInput: string | undefined,
): string | undefined {
  if (getState(STATE.run) !== runKey(env))
    return 'the saved change order was not recorded by the main step of this run';
  const savedApp = getState(STATE.appId);
  if (appIdInput && savedApp !== appIdInput)
    return `the saved change order was recorded for app ${savedApp ? `"${savedApp}"` : '(none)'}, not app-id "${appIdInput}"`;
  return undefined;
}
