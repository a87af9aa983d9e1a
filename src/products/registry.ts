import { edas } from './edas.js';
import type { ProductAdapter } from './adapter.js';
import { sae } from './sae.js';
import type { ProductId } from '../inputs/settings.js';

/** Every product the gate supports: a new one is a file beside sae.ts and edas.ts plus one entry here. */
export const PRODUCTS: Readonly<Record<ProductId, ProductAdapter>> = { sae, edas };

/** Narrows an input value to a product the gate supports. */
export function isProductId(value: string): value is ProductId {
  return Object.hasOwn(PRODUCTS, value);
}
