/** The part of @actions/core the gate logs through; tests pass a recorder. */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  debug(message: string): void;
}

/**
 * Where raw API responses go: the debug log, but only when step debugging is on (RUNNER_DEBUG=1, what
 * core.isDebug() reads). Otherwise every poll would serialise and print a response nobody sees.
 */
export function rawResponseLog(
  log: Pick<Log, 'debug'>,
  env: NodeJS.ProcessEnv,
): ((message: string) => void) | undefined {
  return env.RUNNER_DEBUG === '1' ? (message) => log.debug(message) : undefined;
}
