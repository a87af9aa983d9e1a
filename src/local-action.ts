/**
 * The action's main step for @github/local-action (npm run local-action). local-action runs the TypeScript sources and
 * replaces @actions/core with a recorder that prints the outputs and hands the state to the post step. runner/core.ts
 * takes its few functions from @actions/core's internal modules to save start-up time, and local-action cannot see
 * those ("No outputs were set!"), so here the whole @actions/core stands in for it. This file is not bundled.
 */
import * as actionsCore from '@actions/core';
import { defaultDeps, run as runMain } from './main.js';

/** Runs the main step with the whole @actions/core (the one local-action replaces). */
export async function run(): Promise<void> {
  await runMain({ ...defaultDeps(), core: actionsCore, getIDToken: (audience) => actionsCore.getIDToken(audience) });
}
