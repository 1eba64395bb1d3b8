import { createRequire } from 'node:module';
import type * as Pkcs12 from './pkcs12';

export type Pkcs12Module = typeof Pkcs12;

/**
 * PKCS#12 support, loaded on first use. The build bundles pkcs12.ts on its own as dist/pkcs12.js
 * beside dist/main.js (scripts/bundle.mjs), so the library never weighs on a run that writes no
 * PFX; from the sources the same relative name finds pkcs12.ts.
 */
export function loadPkcs12(): Pkcs12Module {
  return createRequire(__filename)('./pkcs12.js') as Pkcs12Module;
}
