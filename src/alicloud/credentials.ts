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
