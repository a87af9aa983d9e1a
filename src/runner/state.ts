/**
 * Names of the values main saves for the post step (core.saveState; the runner hands them to post as STATE_*).
 * This is the only channel from main to post.
 */
export const STATE = {
  /** The change order main was gating. */
  changeOrderId: 'change-order-id',
  /** "true" once nothing is left for the safety net: the order settled, a remedy was confirmed, or main finished. */
  done: 'done',
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
