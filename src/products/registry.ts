import { edas } from './edas.js';
import type { ChangeOrderService } from './change-order.js';
import type { CredentialSource } from '../alicloud/credentials.js';
import type { Settings } from '../inputs/read.js';
import type { ProductAdapter } from './adapter.js';
import { RoaTransport } from '../alicloud/roa.js';
import { sae } from './sae.js';

/** Every product the gate supports: a new one is a folder beside src/sae plus one entry here. */
export const PRODUCTS: Readonly<Record<string, ProductAdapter>> = { sae, edas };

/** The change-order service the settings ask for, over a signed ROA transport (shared by the main and post steps). */
export function createService(settings: Settings, credentials: CredentialSource, debug?: (message: string) => void): ChangeOrderService {
  const product = PRODUCTS[settings.product];
  const transport = new RoaTransport({
    endpoint: settings.endpoint,
    apiVersion: product.apiVersion,
    credentials,
    requestTimeoutMs: settings.requestTimeoutMs,
    debug,
  });
  return product.create(transport, settings.regionId);
}
