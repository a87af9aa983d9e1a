/** The post step for @github/local-action (npm run local-action): as local-action.ts, with the whole @actions/core. */
import * as actionsCore from '@actions/core';
import { defaultPostDeps, runPost } from './post.js';

/** Runs the post step with the whole @actions/core, so it reads the state the main step saved through local-action. */
export async function run(): Promise<void> {
  await runPost({
    ...defaultPostDeps(),
    core: actionsCore,
    getIDToken: (audience) => actionsCore.getIDToken(audience),
  });
}
