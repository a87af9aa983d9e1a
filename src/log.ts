/** The part of @actions/core the gate logs through; tests pass a recorder. */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  debug(message: string): void;
}
