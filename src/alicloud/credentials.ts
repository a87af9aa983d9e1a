import { oidcCredentials, type OidcDeps, type OidcSettings } from './oidc.js';

/** Credentials the API client signs with. A source is asked before every request, so short-lived ones can be renewed. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export interface CredentialSource {
  /** Where the credentials came from, for the log (never the values). */
  readonly description: string;
  get(): Promise<Credentials>;
}

/** Fixed keys (from inputs or the environment). */
export function staticCredentials(credentials: Credentials, description: string): CredentialSource {
  const frozen = Object.freeze({ ...credentials });
  return { description, get: () => Promise.resolve(frozen) };
}

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
