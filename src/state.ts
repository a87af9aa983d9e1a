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
