import './runner/dependency-debug.js';
import { issueCommand } from '../node_modules/@actions/core/lib/command.js';
import { muteDependencyDeprecations } from './runner/node-warnings.js';
import { planPost } from './runner/state.js';
import { sanitizeLine } from './runner/sanitize.js';
import { exitWhenFlushed } from './runner/exit.js';

// The post step runs after every job (post-if: always()), and almost always has nothing to do. It decides that from
// the saved state alone (the runner hands it over as STATE_* variables), before loading the API client or anything
// else: on the happy path it costs a few milliseconds over bare Node.
const plan = planPost((name) => process.env[`STATE_${name}`] ?? '');
if (plan.act) {
  // The post step never fails the job: runPost turns every problem into a warning.
  muteDependencyDeprecations();
  // Once it has reported, it exits: a request it stopped waiting for (an abort that never answered) would otherwise
  // hold the process until the socket's own timeout, past the runner's patience.
  void import('./post.js').then(({ runPost }) => runPost()).finally(exitWhenFlushed);
} else {
  // core.debug, straight from @actions/core's command module: actions-core.ts would also load node:crypto.
  issueCommand('debug', {}, sanitizeLine(`Post step: nothing to do (${plan.reason}).`));
}
