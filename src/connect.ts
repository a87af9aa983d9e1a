import { staticCredentials, type Credentials, type CredentialSource } from './alicloud/credentials.js';
import { oidcCredentials, type OidcDeps, type OidcSettings } from './alicloud/oidc.js';
import { RoaTransport } from './alicloud/roa.js';
import type { Settings } from './inputs/settings.js';
import type { AppService } from './products/app.js';
import type { ChangeOrderService } from './products/change-order.js';
import type { DeployService } from './products/deploy.js';
import { PRODUCTS } from './products/registry.js';

/**
 * Settings -> credentials + a change-order service: the one place the main and post steps wire the cloud side up.
 * It lives here, not beside the interfaces it chooses between, so that those interfaces import nothing upward.
 */

/** What the credentials are made of: fixed keys, or a role assumed with GitHub OIDC (Settings has exactly one). */
export interface CredentialSettings {
  readonly credentials?: Credentials;
  readonly oidc?: OidcSettings;
  readonly credentialsSource: string;
  readonly requestTimeoutMs: number;
}

/** The source for the settings: fixed keys as they are, OIDC role credentials renewed before they expire. */
export function credentialSourceFor(settings: CredentialSettings, deps: OidcDeps): CredentialSource {
  if (settings.oidc) return oidcCredentials(settings.oidc, deps);
  if (!settings.credentials) throw new Error('no credentials in the settings');
  return staticCredentials(settings.credentials, settings.credentialsSource);
}

/** The change-order service the settings ask for, over a signed ROA transport (shared by the main and post steps). */
/** How main and post build the change-order service (tests pass a fake). */
export type CreateService = typeof createService;

export function createService(
  settings: Settings,
  credentials: CredentialSource,
  debug?: (message: string) => void,
): ChangeOrderService {
  return PRODUCTS[settings.product].create(transportFor(settings, credentials, debug), settings.regionId);
}

/** The app-level service (status, instances, versions, rollback) the settings ask for, over its own signed transport. */
export function createAppService(
  settings: Settings,
  credentials: CredentialSource,
  debug?: (message: string) => void,
): AppService {
  return PRODUCTS[settings.product].createApp(transportFor(settings, credentials, debug));
}

/** The deploy call of the settings' product (SAE); the inputs refuse deploy inputs for a product without one. */
export function createDeployService(
  settings: Settings,
  credentials: CredentialSource,
  debug?: (message: string) => void,
): DeployService {
  const deploy = PRODUCTS[settings.product].deploy;
  if (!deploy) throw new Error(`${PRODUCTS[settings.product].label} has no deploy call`);
  return deploy.create(transportFor(settings, credentials, debug));
}

function transportFor(
  settings: Settings,
  credentials: CredentialSource,
  debug?: (message: string) => void,
): RoaTransport {
  return new RoaTransport({
    endpoint: settings.endpoint,
    apiVersion: PRODUCTS[settings.product].apiVersion,
    credentials,
    requestTimeoutMs: settings.requestTimeoutMs,
    debug,
  });
}
