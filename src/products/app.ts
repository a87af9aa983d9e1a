/**
 * The app-level port: what the gate reads about the running app after its change order settled, and the call that
 * puts the app back on the version it ran before. One implementation per product (sae-app.ts, edas-app.ts), created
 * through the product adapter; the gate only ever sees this interface.
 */

/** How the app's most recent change order stands, as the app reports it (SAE DescribeApplicationStatus). */
export type AppOrderPhase = 'running' | 'succeeded' | 'failed' | 'aborted' | 'waiting';

/** The app's own view of itself. Fields a product cannot tell are absent (EDAS does not name its last change order). */
export interface AppStatus {
  readonly appId: string;
  /** The most recent change order of the app; absent when the product does not say (EDAS) or has none on record. */
  readonly lastChangeOrderId?: string;
  readonly lastChangeOrderPhase?: AppOrderPhase;
  /** The API's own word for it, for messages (e.g. "SUCCESS"). */
  readonly lastChangeOrderStatus?: string;
  readonly lastChangeOrderRunning?: boolean;
  /** The app reports an error although its order may still say running (SAE SubStatus RUNNING_BUT_HAS_ERROR). */
  readonly hasError: boolean;
  /** How many instances the app wants (SAE Replicas, EDAS InstanceCount). */
  readonly wantedInstances: number;
  /** How many instances the app says are running. */
  readonly runningInstances: number;
}

/** One instance of the app. */
export interface AppInstance {
  readonly id: string;
  /** The container runs (SAE InstanceContainerStatus Running, EDAS AppState 7 or 3). */
  readonly running: boolean;
  /** It runs and passed its health checks, or has none configured. */
  readonly ready: boolean;
  /** The API's words for its state, for messages, e.g. "Running / ReadinessUnhealthy". */
  readonly state: string;
  readonly message?: string;
}

/** A deployable version of the app (SAE ListAppVersions). */
export interface AppVersion {
  readonly id: string;
  /** ms epoch. */
  readonly createdAt: number;
}

/** What to roll back: the app, the change order that failed, and (SAE) the version to go back to. */
export interface RollbackTarget {
  readonly appId: string;
  readonly changeOrderId: string;
  readonly versionId?: string;
}

export interface AppService {
  /** Product name for messages, e.g. "SAE". */
  readonly product: string;
  /** Whether the product says which change order ran last on the app (SAE yes; EDAS no, so it cannot see a newer order). */
  readonly knowsLastChangeOrder: boolean;
  /** Whether a rollback needs the earlier version (SAE RollbackApplication) or only the change order (EDAS RollbackChangeOrder). */
  readonly rollsBackToVersion: boolean;
  /** Reads the app's status and how many instances it wants. Throws ApiError (malformed for an answer about another app). */
  status(appId: string): Promise<AppStatus>;
  /** Reads the app's instances. Throws ApiError. */
  instances(appId: string): Promise<AppInstance[]>;
  /**
   * The version the app ran before `current` changed it: the newest version older than the newest one (the one the
   * change order deployed). Undefined when there is none. Throws ApiError.
   */
  previousVersion(appId: string): Promise<AppVersion | undefined>;
  /** Starts a rollback; returns the rollback's own change order. Throws ApiError (a refusal keeps its code). */
  rollback(target: RollbackTarget): Promise<{ readonly changeOrderId: string; readonly needsApproval?: boolean }>;
}
