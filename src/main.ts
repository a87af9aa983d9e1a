import * as core from '@actions/core';
import type { ChangeOrderService } from './change-order.js';
import { systemClock, type Clock } from './clock.js';
import { staticCredentials, type CredentialSource } from './credentials.js';
import { formatDuration } from './duration.js';
import { InputError, readInputs, type Settings } from './inputs.js';
import { runGate } from './gate.js';
import { STATE } from './state.js';
import type { Log } from './log.js';
import { outputsFor, type Report } from './report.js';
import { RoaTransport } from './roa.js';
import { PRODUCTS } from './products.js';
import { renderSummary } from './summary.js';

/** The parts of @actions/core that run() uses. */
export type Core = Log & Pick<typeof core, 'getInput' | 'setOutput' | 'setFailed' | 'setSecret' | 'error' | 'saveState'>;

export interface Deps {
  readonly core: Core;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  /** Writes the job summary (Markdown). */
  readonly writeSummary: (markdown: string) => Promise<void>;
  readonly createService: (settings: Settings, credentials: CredentialSource, debug: (m: string) => void) => ChangeOrderService;
  readonly signal?: AbortSignal;
}

export const defaultDeps = (): Deps => ({
  core,
  env: process.env,
  clock: systemClock,
  writeSummary: async (markdown) => {
    await core.summary.addRaw(markdown, true).write();
  },
  createService: (settings, credentials, debug) => {
    const product = PRODUCTS[settings.product];
    const transport = new RoaTransport({ endpoint: settings.endpoint, apiVersion: product.apiVersion, credentials, requestTimeoutMs: settings.requestTimeoutMs, debug });
    return product.create(transport, settings.regionId);
  },
});

/** The action: read inputs, watch the change order, remedy, report. The only place that sets outputs or fails the step. */
export async function run(deps: Deps = defaultDeps()): Promise<Report | undefined> {
  const { core: c } = deps;
  let settings: Settings;
  try {
    const parsed = readInputs((name) => c.getInput(name), deps.env);
    settings = parsed.settings;
    maskSecrets(c, settings);
    for (const w of parsed.warnings) c.warning(w);
  } catch (err) {
    const message = err instanceof InputError ? err.message : `Could not read the inputs: ${String(err)}`;
    c.setOutput('result', 'error');
    c.setOutput('error-message', message);
    c.setFailed(message);
    return undefined;
  }

  // The post step's safety net reads these if this step dies before the release is settled or remedied.
  c.saveState(STATE.changeOrderId, settings.changeOrderId);
  c.saveState(STATE.done, 'false');
  c.info(`Product: ${PRODUCTS[settings.product].label}. Credentials: from ${settings.credentialsSource}. Endpoint: ${settings.endpoint}. Timeout ${formatDuration(settings.timeoutMs)}, polling every ${formatDuration(settings.pollIntervalMs)}.`);
  let report: Report;
  try {
    const service = deps.createService(settings, staticCredentials(settings.credentials, settings.credentialsSource), (m) => c.debug(m));
    report = await runGate({ settings, service, clock: deps.clock, log: c, signal: deps.signal, onSettled: () => c.saveState(STATE.done, 'true') });
  } catch (err) {
    // A bug, not an API answer: never let it look like success, never show a stack trace to the user.
    const message = `Release gate error: ${err instanceof Error ? err.message : String(err)}`;
    c.debug(err instanceof Error && err.stack ? err.stack : String(err));
    c.setOutput('change-order-id', settings.changeOrderId);
    c.saveState(STATE.done, 'true');
    c.setOutput('result', 'error');
    c.setOutput('error-message', message);
    c.setFailed(message);
    return undefined;
  }

  c.saveState(STATE.done, 'true');
  for (const [name, value] of Object.entries(outputsFor(report))) c.setOutput(name, value);
  if (settings.summary) {
    try {
      await deps.writeSummary(renderSummary(report));
    } catch (err) {
      c.warning(`Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (report.result === 'succeeded') c.info(`Result: succeeded. ${report.reason}`);
  else c.setFailed(`Result: ${report.result}. ${report.reason}${report.remedy ? ` ${report.remedy.detail}` : ''}`);
  return report;
}

function maskSecrets(c: Core, settings: Settings): void {
  const { accessKeyId, accessKeySecret, securityToken } = settings.credentials;
  for (const secret of [accessKeySecret, securityToken, accessKeyId]) if (secret) c.setSecret(secret);
}
