/**
 * @alicloud/pop-core 1.8 and httpx call url.parse(), which Node 24 (the runners' runtime) deprecates: every run would
 * print "[DEP0169] DeprecationWarning: `url.parse()` behavior is not standardized..." to the job log, about code the
 * user cannot change and that only ever parses the endpoint URL the action has already validated. That one warning
 * is dropped; every other warning is printed as before.
 */
const MUTED_DEPRECATIONS: ReadonlySet<string> = new Set(['DEP0169']);

export function muteDependencyDeprecations(target: Pick<NodeJS.Process, 'emitWarning'> = process): void {
  const emit = target.emitWarning.bind(target) as (...args: unknown[]) => void;
  target.emitWarning = (...args: unknown[]) => {
    if (MUTED_DEPRECATIONS.has(warningCode(args) ?? '')) return;
    emit(...args);
  };
}

/** The code of a warning, from any of emitWarning's forms: (warning, type, code), (warning, { code }) or an Error. */
function warningCode([warning, second, third]: unknown[]): string | undefined {
  if (typeof third === 'string') return third;
  if (second && typeof second === 'object' && 'code' in second && typeof second.code === 'string') return second.code;
  if (warning instanceof Error && 'code' in warning && typeof warning.code === 'string') return warning.code;
  return undefined;
}
