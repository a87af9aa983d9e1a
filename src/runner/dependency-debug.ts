/**
 * Imported first by both entries, for its effect: the bundled HTTP stack (pop-core, httpx) logs through the `debug`
 * module, which reads DEBUG when it loads. With DEBUG=* in a job's environment it would print every request and
 * response to stderr, past our scrubber: pop-core's string-to-sign with x-acs-security-token, STS's AccessKeySecret and
 * SecurityToken. The gate's own debug log is RUNNER_DEBUG (src/runner/log.ts); DEBUG means nothing to it, so it is
 * cleared for this process before any dependency loads.
 */
delete process.env.DEBUG;
delete process.env.DEBUG_FD;

export {};
