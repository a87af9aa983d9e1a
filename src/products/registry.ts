import { edas } from './edas.js';
import type { ProductAdapter } from './adapter.js';
import { sae } from './sae.js';

/** Every product the gate supports: a new one is a file beside sae.ts and edas.ts plus one entry here. */
export const PRODUCTS: Readonly<Record<string, ProductAdapter>> = { sae, edas };
