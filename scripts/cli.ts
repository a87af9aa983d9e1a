/**
 * The scripts' command line: node:util parseArgs in strict mode, so an unknown flag or a missing value is an error
 * (with the usage), and --help prints the usage and exits before anything starts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Cli<O extends Options> {
  readonly values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];
  readonly positionals: string[];
}

/** A usage error: the script prints it and its usage, and exits with 2. */
export class UsageError extends Error {}

/**
 * Parses `argv` (process.argv.slice(2) by default). On --help or -h it prints `usage` and exits 0; on an unknown
 * flag, a flag without its value or more positionals than `maxPositionals`, it prints the reason and the usage to
 * stderr and exits 2.
 */
export function readCli<O extends Options>(
  usage: string,
  options: O,
  { maxPositionals = 0, argv = process.argv.slice(2) }: { maxPositionals?: number; argv?: string[] } = {},
): Cli<O> {
  try {
    const all = { ...options, help: { type: 'boolean', short: 'h' } } as O;
    const { values, positionals } = parseArgs({ args: argv, options: all, allowPositionals: true, strict: true });
    if ((values as { help?: boolean }).help) {
      process.stdout.write(usage.endsWith('\n') ? usage : `${usage}\n`);
      process.exit(0);
    }
    if (positionals.length > maxPositionals)
      throw new UsageError(
        maxPositionals ? `Too many arguments: ${positionals.join(' ')}` : `Unexpected argument: ${positionals[0]}`,
      );
    return { values, positionals };
  } catch (e) {
    return usageExit(e instanceof Error ? e.message : String(e), usage);
  }
}

/** Prints `message` and the usage to stderr and exits with 2 (for checks the script makes after parsing). */
export function usageExit(message: string, usage: string): never {
  process.stderr.write(`${message}\n\n${usage.endsWith('\n') ? usage : `${usage}\n`}`);
  process.exit(2);
}
