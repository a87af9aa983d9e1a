import { edas } from './edas/service.js';
import type { ProductAdapter } from './product.js';
import { sae } from './sae/service.js';

/** Every product the gate supports: a new one is a folder beside src/sae plus one entry here. */
export const PRODUCTS: Readonly<Record<string, ProductAdapter>> = { sae, edas };
