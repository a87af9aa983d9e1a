import { readFileSync } from 'node:fs';

/** What the triggering event says, read from GITHUB_EVENT_PATH without loading @actions/github. */
export interface EventInfo {
  readonly name: string;
  /** Set for `deployment` events. */
  readonly deployment?: { readonly id: number; readonly payload: Record<string, unknown> };
}

export function readEvent(env: NodeJS.ProcessEnv): EventInfo {
  const name = env.GITHUB_EVENT_NAME ?? '';
  if (name !== 'deployment' || !env.GITHUB_EVENT_PATH) return { name };
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
  } catch {
    return { name };
  }
  const d = (event as { deployment?: { id?: unknown; payload?: unknown } }).deployment;
  if (!d || typeof d.id !== 'number') return { name };
  let payload = d.payload;
  if (typeof payload === 'string') {
    // Some deployment tools send the payload as a JSON string.
    try {
      payload = JSON.parse(payload);
    } catch {
      payload = {};
    }
  }
  return {
    name,
    deployment: {
      id: d.id,
      payload:
        payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {},
    },
  };
}
