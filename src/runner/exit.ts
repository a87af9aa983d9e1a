/**
 * Ends the process once it has reported. Outputs and state are written synchronously and the summary is awaited, so
 * when a step's work is done nothing is left to say; whatever is still open (a socket a server keeps trickling into,
 * a dependency's timer) must not keep the job waiting. stdout is flushed first: the runner reads the log from it.
 */
export function exitWhenFlushed(target: Pick<NodeJS.Process, 'stdout' | 'stderr' | 'exit'> = process): void {
  target.stdout.write('', () => target.stderr.write('', () => target.exit()));
}
