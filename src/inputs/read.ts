import { isProductId, PRODUCTS } from '../products/registry.js';
import type { Credentials } from '../alicloud/credentials.js';
import type { OidcSettings } from '../alicloud/oidc.js';
import {
  checkId,
  InputError,
  parseBoolean,
  parseChoice,
  parseCount,
  parseDuration,
  parseEndpoint,
  parseHealthUrl,
  parseRegion,
  parseRemedy,
  quote,
  SECOND,
} from './parse.js';
import type { Settings } from './settings.js';
import { readDeploy } from './deploy.js';
import { formatDuration } from '../time/duration.js';

export type InputReader = (name: string) => string;

export interface ParsedInputs {
  readonly settings: Settings;
  /** Things worth saying that are not errors (e.g. a poll interval that risks throttling). */
  readonly warnings: readonly string[];
}

const MAX_TIMEOUT_MS = 7 * 24 * 3600 * SECOND;
const MAX_POLL_MS = 3600 * SECOND;
const MAX_REQUEST_TIMEOUT_MS = 5 * 60 * SECOND;

/**
 * Parses the action's inputs. `input(name)` returns the raw value ('' when unset); `env` supplies the documented
 * environment fallbacks. Throws InputError before anything talks to the API.
 */
export function readInputs(input: InputReader, env: NodeJS.ProcessEnv): ParsedInputs {
  const warnings: string[] = [];
  const get = (name: string): string => (input(name) ?? '').trim();

  const product = (get('product') || 'sae').toLowerCase();
  if (!isProductId(product))
    throw new InputError(
      `Invalid input "product": ${quote(get('product'))} is not one of ${Object.keys(PRODUCTS).join(', ')}`,
    );
  const adapter = PRODUCTS[product];

  const changeOrderId = get('change-order-id');
  if (changeOrderId) checkId('change-order-id', changeOrderId);
  const appId = get('app-id') || undefined;
  if (appId) checkId('app-id', appId);
  const changeOrderType = get('change-order-type') || undefined;
  if (changeOrderType && !/^[A-Za-z][A-Za-z0-9 _-]{0,63}$/.test(changeOrderType)) {
    throw new InputError(
      `Invalid input "change-order-type": ${quote(changeOrderType)} is not a change-order type such as CoDeploy, CoRestartApplication or CoScaleOut`,
    );
  }
  const deploymentRaw = get('deployment-id');
  const deploymentId = deploymentRaw
    ? parseCount('deployment-id', deploymentRaw, 1, Number.MAX_SAFE_INTEGER)
    : undefined;
  const environmentUrl = get('environment-url') || undefined;
  if (environmentUrl && !/^https?:\/\/[^\s]+$/.test(environmentUrl))
    throw new InputError(`Invalid input "environment-url": ${quote(environmentUrl)} is not an http(s) URL`);
  const githubToken = get('github-token') || undefined;
  const deploy = readDeploy(get, env, { product, changeOrderId, appId });

  const regionRaw = get('region-id') || firstSet(env, REGION_VARIABLES)?.value || '';
  const regionId = regionRaw ? parseRegion(regionRaw) : undefined;
  const endpointRaw = get('endpoint');
  let endpoint: string;
  if (endpointRaw) endpoint = parseEndpoint(endpointRaw);
  else if (regionId) endpoint = adapter.endpointFor(regionId);
  else
    throw new InputError(
      'Input "region-id" is required (or set the ALIBABA_CLOUD_REGION_ID environment variable): a region ID such as cn-hangzhou',
    );

  const { credentials, oidc, source, fromEnvironment } = readCredentials(get, env, warnings);

  const timeoutMs = parseDuration('timeout', get('timeout') || '30m', SECOND, MAX_TIMEOUT_MS);
  if (fromEnvironment && credentials?.securityToken && timeoutMs > STS_EXPORT_WARN_MS)
    warnings.push(
      `timeout is ${formatDuration(timeoutMs)} and the credentials are STS keys from ${source}: keys exported by an earlier step (aliyun/configure-aliyun-credentials-action lasts 1800 s by default) may expire before the release ends, and with them the gate's ability to read and abort it; use role-to-assume and oidc-provider-arn, which renew them`,
    );
  const pollIntervalMs = parseDuration('poll-interval', get('poll-interval') || '10s', SECOND, MAX_POLL_MS);
  // Throttling is the real API's: a plain http:// endpoint is a local simulator (http is refused for any other host).
  if (pollIntervalMs < 5 * SECOND && !endpoint.startsWith('http://'))
    warnings.push(
      `poll-interval is ${pollIntervalMs / SECOND}s: polling faster than every 5s may get the API to throttle these credentials`,
    );
  const requestTimeoutMs = parseDuration(
    'request-timeout',
    get('request-timeout') || '15s',
    SECOND,
    MAX_REQUEST_TIMEOUT_MS,
  );
  const maxApiErrors = parseCount('max-api-errors', get('max-api-errors') || '10', 1, 1000);
  const onFailure = parseRemedy('on-failure', get('on-failure') || 'abort-and-rollback');
  const onTimeout = parseRemedy('on-timeout', get('on-timeout') || 'abort');
  const onCancel = parseRemedy('on-cancel', get('on-cancel') || 'abort');
  const summary = parseBoolean('summary', get('summary') || 'true');
  const onManualBatch = parseChoice('on-manual-batch', get('on-manual-batch') || 'wait', [
    'wait',
    'confirm',
    'succeed',
    'fail',
  ] as const);
  const onApproval = parseChoice('on-approval', get('on-approval') || 'wait', ['wait', 'succeed', 'fail'] as const);
  const bakeTimeMs = parseDuration('bake-time', get('bake-time') || '0s', 0, MAX_TIMEOUT_MS);
  const healthCheckUrls = input('health-check-url')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (const url of healthCheckUrls) parseHealthUrl(url);
  const healthCheckFailures = parseCount('health-check-failures', get('health-check-failures') || '1', 1, 100);
  const { verify, verifyTimeMs } = readVerify(get);
  if (verifyTimeMs >= timeoutMs)
    warnings.push(
      `verify-time (${formatDuration(verifyTimeMs)}) is not shorter than timeout (${formatDuration(timeoutMs)}), which also covers the release: the bake after the last batch cannot finish in time, so the result would be timed-out; raise timeout`,
    );
  if (healthCheckUrls.length && onManualBatch !== 'confirm' && !verifyTimeMs)
    warnings.push(
      'health-check-url is only used with on-manual-batch: confirm (between batches, before the next one is released) or with verify-time (after the last batch)',
    );

  return {
    settings: Object.freeze({
      product,
      changeOrderId,
      appId,
      changeOrderType,
      deploymentId,
      environmentUrl,
      githubToken,
      regionId,
      endpoint,
      credentials,
      oidc,
      credentialsSource: source,
      timeoutMs,
      pollIntervalMs,
      requestTimeoutMs,
      maxApiErrors,
      onFailure,
      onTimeout,
      onCancel,
      summary,
      onManualBatch,
      onApproval,
      bakeTimeMs,
      healthCheckUrls,
      healthCheckFailures,
      verify,
      verifyTimeMs,
      ...(deploy ? { deploy } : {}),
    }),
    warnings,
  };
}

/** verify and verify-time: a bake after the last batch is a verification, so it cannot go with verify: false. */
function readVerify(get: (name: string) => string): { verify: boolean; verifyTimeMs: number } {
  const verify = parseBoolean('verify', get('verify') || 'true');
  const raw = get('verify-time') || '0s';
  const verifyTimeMs = parseDuration('verify-time', raw, 0, MAX_TIMEOUT_MS);
  if (!verify && verifyTimeMs > 0)
    throw new InputError(
      `Invalid input "verify-time": ${quote(raw)} needs verify: true (the bake after the last batch is part of the verification); set verify-time to 0s or remove it, or set verify to true`,
    );
  return { verify, verifyTimeMs };
}

/**
 * Environment credentials, in the order they are read: the names the Alibaba Cloud SDKs and CLI document, which are
 * also the three families aliyun/configure-aliyun-credentials-action exports (its ALICLOUD_* names are Terraform's,
 * ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY; the CLI reads ALICLOUD_ACCESS_KEY_ID and ALICLOUD_ACCESS_KEY_SECRET).
 * A key ID, its secret and its token always come from one family: never a key of one tool with a token of another.
 */
const ENV_FAMILIES = [
  {
    name: 'ALIBABA_CLOUD_*',
    id: ['ALIBABA_CLOUD_ACCESS_KEY_ID'],
    secret: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
    token: ['ALIBABA_CLOUD_SECURITY_TOKEN'],
  },
  {
    name: 'ALIBABACLOUD_*',
    id: ['ALIBABACLOUD_ACCESS_KEY_ID'],
    secret: ['ALIBABACLOUD_ACCESS_KEY_SECRET'],
    token: ['ALIBABACLOUD_SECURITY_TOKEN'],
  },
  {
    name: 'ALICLOUD_*',
    id: ['ALICLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY'],
    secret: ['ALICLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY'],
    token: ['ALICLOUD_SECURITY_TOKEN'],
  },
] as const;

/** The region's environment fallbacks, in the same order (ALICLOUD_REGION is Terraform's name). */
const REGION_VARIABLES = ['ALIBABA_CLOUD_REGION_ID', 'ALIBABACLOUD_REGION_ID', 'ALICLOUD_REGION_ID', 'ALICLOUD_REGION'];

/** configure-aliyun-credentials-action's sessions last 1800 s by default; warn when the gate may outlive them. */
const STS_EXPORT_WARN_MS = 25 * 60 * SECOND;

/** The first of `names` that is set (not blank) in `env`, with its trimmed value. */
function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = (env[name] ?? '').trim();
    if (value) return { name, value };
  }
  return undefined;
}

/**
 * Precedence: OIDC inputs, then the key inputs, then the environment (ENV_FAMILIES, in order). Mixing OIDC and key
 * inputs is refused.
 */
function readCredentials(
  get: (name: string) => string,
  env: NodeJS.ProcessEnv,
  warnings: string[],
): { credentials?: Credentials; oidc?: OidcSettings; source: string; fromEnvironment?: boolean } {
  const id = get('access-key-id');
  const secret = get('access-key-secret');
  const token = get('security-token');
  const oidc = readOidc(get, env, warnings);
  if (oidc) {
    const keys = [id && 'access-key-id', secret && 'access-key-secret', token && 'security-token'].filter(Boolean);
    if (keys.length)
      throw new InputError(
        `Inputs "role-to-assume" and "oidc-provider-arn" (OIDC) cannot be combined with ${keys.map((k) => `"${k}"`).join(', ')}: give either the role to assume or the keys, not both`,
      );
    const unused = ENV_FAMILIES.find((f) => firstSet(env, f.id));
    const ignored = unused ? `; the ${unused.name} keys in the environment are not used` : '';
    return {
      oidc,
      source: `the role-to-assume and oidc-provider-arn inputs (GitHub OIDC, renewed before expiry)${ignored}`,
    };
  }
  if (id || secret || token) {
    if (!id)
      throw new InputError(
        'Input "access-key-id" is required when "access-key-secret" or "security-token" is given: the AccessKey ID, e.g. ${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_ID }}',
      );
    if (!secret)
      throw new InputError(
        'Input "access-key-secret" is required when "access-key-id" is given: the AccessKey secret, e.g. ${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_SECRET }}',
      );
    return {
      credentials: { accessKeyId: id, accessKeySecret: secret, securityToken: token || undefined },
      source: token
        ? 'the access-key-id, access-key-secret and security-token inputs'
        : 'the access-key-id and access-key-secret inputs',
    };
  }
  for (const family of ENV_FAMILIES) {
    const envId = firstSet(env, family.id);
    const envSecret = firstSet(env, family.secret);
    if (!envId && !envSecret) continue;
    if (!envId || !envSecret)
      throw new InputError(
        `Inputs "access-key-id" and "access-key-secret" are not set and the environment has only half a key pair: ${(envId ? family.secret : family.id).join(' or ')} is missing`,
      );
    const envToken = firstSet(env, family.token);
    return {
      credentials: { accessKeyId: envId.value, accessKeySecret: envSecret.value, securityToken: envToken?.value },
      source: `the ${family.name} environment variables`,
      fromEnvironment: true,
    };
  }
  throw new InputError(
    'Credentials are required: inputs "role-to-assume" and "oidc-provider-arn" (a RAM role assumed with GitHub OIDC), or inputs "access-key-id" and "access-key-secret" (or the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables, as aliyun/configure-aliyun-credentials-action exports them)',
  );
}

const ROLE_ARN = /^acs:ram::\d+:role\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const PROVIDER_ARN = /^acs:ram::\d+:oidc-provider\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const MIN_SESSION_MS = 15 * 60 * SECOND;
const MAX_SESSION_MS = 12 * 3600 * SECOND;

/** The OIDC inputs, all read (so action.yml and the code agree) and checked only when a role is to be assumed. */
function readOidc(get: (name: string) => string, env: NodeJS.ProcessEnv, warnings: string[]): OidcSettings | undefined {
  const roleArn = get('role-to-assume');
  const oidcProviderArn = get('oidc-provider-arn');
  const audience = get('audience') || 'sts.aliyuncs.com';
  const sessionName = get('role-session-name');
  const expiration = get('role-session-expiration') || '1h';
  const stsEndpoint = get('sts-endpoint') || 'https://sts.aliyuncs.com';
  if (!roleArn && !oidcProviderArn) {
    if (sessionName)
      warnings.push('role-session-name is only used with role-to-assume and oidc-provider-arn; it is ignored');
    return undefined;
  }
  if (!roleArn)
    throw new InputError(
      'Input "role-to-assume" is required with "oidc-provider-arn": the ARN of the RAM role to assume, e.g. acs:ram::1234567890123456:role/github-deploy',
    );
  if (!oidcProviderArn)
    throw new InputError(
      'Input "oidc-provider-arn" is required with "role-to-assume": the ARN of the RAM OIDC provider for GitHub, e.g. acs:ram::1234567890123456:oidc-provider/github',
    );
  if (!ROLE_ARN.test(roleArn))
    throw new InputError(
      `Invalid input "role-to-assume": ${quote(roleArn)} is not a RAM role ARN such as acs:ram::1234567890123456:role/github-deploy`,
    );
  if (!PROVIDER_ARN.test(oidcProviderArn))
    throw new InputError(
      `Invalid input "oidc-provider-arn": ${quote(oidcProviderArn)} is not a RAM OIDC provider ARN such as acs:ram::1234567890123456:oidc-provider/github`,
    );
  if (!/^[\x21-\x7e]{1,256}$/.test(audience))
    throw new InputError(
      `Invalid input "audience": ${quote(audience)} is not an audience such as sts.aliyuncs.com (the client ID of the RAM OIDC provider)`,
    );
  const roleSessionName = sessionName || defaultSessionName(env);
  if (!SESSION_NAME.test(roleSessionName))
    throw new InputError(
      `Invalid input "role-session-name": ${quote(roleSessionName)} is not a session name: use 2 to 64 letters, digits, ".", "@", "_" or "-"`,
    );
  const sessionMs = parseDuration('role-session-expiration', expiration, SECOND, MAX_SESSION_MS);
  if (sessionMs < MIN_SESSION_MS) {
    throw new InputError(
      `Invalid input "role-session-expiration": ${quote(expiration)} is shorter than STS allows: use 15m or more (up to the role's maximum session duration, at most 12h); the credentials are renewed before they expire, so the session length does not limit the release`,
    );
  }
  return Object.freeze({
    roleArn,
    oidcProviderArn,
    audience,
    roleSessionName,
    sessionMs,
    stsEndpoint: parseEndpoint(stsEndpoint, 'sts-endpoint', 'https://sts.aliyuncs.com'),
  });
}

/** gh-<run id>-<owner>.<repo>, cut to STS's 64 characters; it shows in ActionTrail as who used the role. */
export function defaultSessionName(env: NodeJS.ProcessEnv): string {
  const clean = (v: string | undefined) =>
    (v ?? '')
      .trim()
      .replace(/\//g, '.')
      .replace(/[^A-Za-z0-9.@_-]/g, '_');
  const name = ['gh', clean(env.GITHUB_RUN_ID), clean(env.GITHUB_REPOSITORY)].filter(Boolean).join('-').slice(0, 64);
  return name.length >= 2 && name !== 'gh' ? name : 'sae-release-gate';
}
