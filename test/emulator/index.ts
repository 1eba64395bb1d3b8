/**
 * The local Azure emulator: Key Vault secrets and Entra ID under their real host names, reached
 * through a CONNECT proxy, with certificates from a test CA. See types.ts for the surface and
 * test/emulator/README.md for how the pieces fit.
 */
export { startAzure, DEFAULT_AUTHORITY_HOSTS } from './emulator';
export {
  createTestCa,
  createTestCaFiles,
  loadTestCaFromEnv,
  TEST_CA_CERT_ENV,
  TEST_CA_KEY_ENV,
  type TestCa,
} from './testCa';
export { createTestCertificate } from './testCertificate';
export { decodeJwtPayload } from './tokens';
export type * from './types';
