import './runner/dependency-debug.js';
import * as core from './runner/core.js';
import { defaultDeps, run } from './main.js';
import { muteDependencyDeprecations } from './runner/node-warnings.js';
import { exitWhenFlushed } from './runner/exit.js';

muteDependencyDeprecations();

// Cancelling a run (or hitting timeout-minutes) sends SIGINT, then SIGTERM 7.5 s later, then kills the process tree
// 2.5 s after that. The first signal stops the watch and starts on-cancel; a second one only gets a log line.
const controller = new AbortController();
let signals = 0;
const onSignal = (name: NodeJS.Signals): void => {
  signals += 1;
  if (signals === 1) {
    core.info(`Received ${name}: stopping.`);
    controller.abort(new Error(`received ${name}`));
  } else {
    core.info(`Received ${name} again: already stopping, nothing more to do.`);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

run({ ...defaultDeps(), signal: controller.signal })
  .catch((err: unknown) => {
    // run() reports its own failures; reaching here is a bug. Fail the step with the message, not a stack trace.
    core.setFailed(`Release gate error: ${err instanceof Error ? err.message : String(err)}`);
  })
  // Everything is reported: a request still in flight (a signal came, a body trickles) must not keep the job waiting.
  .finally(exitWhenFlushed);
