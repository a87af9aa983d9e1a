import type { AppService } from './app.js';
import type { ChangeOrderService } from './change-order.js';
import type { DeployField, DeployService } from './deploy.js';
import type { RoaTransport } from '../alicloud/roa.js';
import type { ProductId } from '../inputs/settings.js';

/**
 * A product the gate can talk to. Each lives in its own folder (src/sae, src/edas) and is listed once in products.ts;
 * the watch loop, verdict, summary and outputs only ever see the ChangeOrderService it creates.
 */
export interface ProductAdapter {
  /** Input value, e.g. "sae". */
  readonly id: ProductId;
  /** Name for people, e.g. "SAE". */
  readonly label: string;
  /** x-acs-version of its OpenAPI. */
  readonly apiVersion: string;
  endpointFor(regionId: string): string;
  create(transport: RoaTransport, regionId: string | undefined): ChangeOrderService;
  /** The app-level reads and the rollback (verify, bake, put it back). */
  createApp(transport: RoaTransport): AppService;
  /** The deploy call and its model's fields; absent for a product the action cannot deploy to (EDAS). */
  readonly deploy?: {
    readonly fields: Readonly<Record<string, DeployField>>;
    readonly packageTypes: readonly string[];
    create(transport: RoaTransport): DeployService;
  };
}

/** Error codes the adapters translate their product's answers into, so the shared code can react to them. */
export const NOT_FOUND = 'InvalidChangeOrder.NotFound';
/** The order is no longer running, so it cannot be aborted (docs/api-notes.md#sae-change-orders). */
export const NOT_RUNNING = 'Application.ChangerOrder.Not.Running';
/** EDAS "system busy, try again later": a passing refusal (retried), never "not running". */
export const BUSY = 'System.Busy';
