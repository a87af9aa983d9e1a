import type { Credentials } from '../alicloud/credentials.js';
import type { OidcSettings } from '../alicloud/oidc.js';

/** Types only: the settings may be imported from any folder (the one exception to the import order). */

/** The products the gate supports (the keys of products/registry.ts). */
export type ProductId = 'sae' | 'edas';

/** What the action does to a release that went wrong. */
export type Remedy = 'none' | 'abort' | 'abort-and-rollback';

/** Every input, parsed and checked once. Nothing downstream reads inputs. */
export interface Settings {
  /** Key of PRODUCTS: "sae" or "edas". */
  readonly product: ProductId;
  /** Empty when the change order comes from the deployment payload or is found through app-id. */
  readonly changeOrderId: string;
  /** The app whose order to find, and that the gated order must belong to (input app-id). */
  readonly appId?: string;
  /** Narrows the search by app-id, e.g. "CoDeploy". */
  readonly changeOrderType?: string;
  /** A GitHub Deployment to keep in step (besides the one of a `deployment` event). */
  readonly deploymentId?: number;
  /** Shown on the GitHub Deployment (input environment-url). */
  readonly environmentUrl?: string;
  /** Token for the Deployments API (input github-token). */
  readonly githubToken?: string;
  /** Region of the change order; absent only when an endpoint was given instead. */
  readonly regionId?: string;
  /** Full API endpoint, e.g. https://sae.cn-hangzhou.aliyuncs.com */
  readonly endpoint: string;
  /** Fixed keys (inputs or environment); absent when a role is assumed with OIDC. */
  readonly credentials?: Credentials;
  /** The role to assume with a GitHub OIDC token (role-to-assume and oidc-provider-arn); absent with fixed keys. */
  readonly oidc?: OidcSettings;
  /** Which input or variable the credentials came from (never the values). */
  readonly credentialsSource: string;
  /** How long the whole gate may take, remedies excluded (input timeout). */
  readonly timeoutMs: number;
  /** Time between status reads (input poll-interval). */
  readonly pollIntervalMs: number;
  /** Deadline of one API request (input request-timeout). */
  readonly requestTimeoutMs: number;
  /** Failed reads in a row, after retries, before the gate gives up (input max-api-errors). */
  readonly maxApiErrors: number;
  /** What to do to a release that failed or got stuck (input on-failure). */
  readonly onFailure: Remedy;
  /** What to do to a release still running at the timeout (input on-timeout). */
  readonly onTimeout: Remedy;
  /** What to do when the run is cancelled while the release still runs (main step on SIGINT/SIGTERM, or the post step). */
  readonly onCancel: Remedy;
  /** Whether to write the job summary (input summary). */
  readonly summary: boolean;
  /** Status 8: wait for a person, release the next batch (after bake time and health checks), or stop and pass/fail. */
  readonly onManualBatch: OnManualBatch;
  /** Status 11: wait, or stop and pass/fail. */
  readonly onApproval: OnApproval;
  /** Confirm mode: how long a finished batch must stay healthy before the next is released (input bake-time). */
  readonly bakeTimeMs: number;
  /** URLs probed while a batch bakes (input health-check-url, one per line). */
  readonly healthCheckUrls: readonly string[];
  /** Failed probes in a row that count as unhealthy (input health-check-failures). */
  readonly healthCheckFailures: number;
  /** After the order succeeds, check that the app runs it: its last order, no error, instances ready (input verify). */
  readonly verify: boolean;
  /** How long the app must stay healthy after the last batch, in every batch mode (input verify-time; 0: no bake). */
  readonly verifyTimeMs: number;
  /** Deploy mode: the release this step starts (DeployApplication) and then gates; absent when it gates an order from elsewhere. */
  readonly deploy?: DeploySettings;
}

/** What to deploy (inputs image-url or package-url, package-version, package-type, deploy-parameters, change-order-description). */
export interface DeploySettings {
  /** What is deployed, for the log: the image, or the package URL and its version. */
  readonly what: string;
  /** PackageType, e.g. Image or FatJar. */
  readonly packageType: string;
  /** Every DeployApplication field sent besides AppId, with its wire value, checked against the model. */
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  /** The names of the fields that came from deploy-parameters: the log names them, never their values. */
  readonly parameterNames: readonly string[];
  /** The change order's description (ChangeOrderDesc): how the order of a call that failed ambiguously is recognised. */
  readonly description: string;
  /** What to mask before anything could print it: the deploy-parameters values, and the strings inside JSON ones. */
  readonly secrets: readonly string[];
}

/** Status 8 (a batch waits for a person): wait, release it, or stop and pass or fail. */
export type OnManualBatch = 'wait' | 'confirm' | 'succeed' | 'fail';
/** Status 11 (the order waits for approval): wait, or stop and pass or fail. */
export type OnApproval = 'wait' | 'succeed' | 'fail';
