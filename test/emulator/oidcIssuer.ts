/**
 * The signing key of the emulated Azure DevOps token service (vstoken.dev.azure.com): it signs the
 * OIDC tokens the job endpoint hands out, and Entra checks federated assertions against it, as the
 * real Entra does with the issuer's published keys (docs/azure-protocols.md §3, §5).
 *
 * RS256 like the service. The RSA key is made on first use, so emulators that never add a DevOps
 * job do not pay for an RSA key generation.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { decodeJwt, encodeJson, verifyRsaJws, type DecodedJwt } from './jwt';

export class OidcIssuerKey {
  private keys?: { privateKey: KeyObject; publicKey: KeyObject };
  readonly keyId = randomBytes(20).toString('base64url');

  sign(claims: Record<string, unknown>): string {
    const header = encodeJson({ typ: 'JWT', alg: 'RS256', kid: this.keyId });
    const payload = encodeJson(claims);
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.pair().privateKey);
    return `${header}.${payload}.${signature.toString('base64url')}`;
  }

  /** True when `jwt` is RS256 and carries a valid signature by this key. */
  signed(jwt: DecodedJwt): boolean {
    return jwt.header.alg === 'RS256' && verifyRsaJws(jwt, this.pair().publicKey);
  }

  /** Decodes and checks a token in one go (tests). */
  verify(token: string): DecodedJwt | undefined {
    const jwt = decodeJwt(token);
    return jwt && this.signed(jwt) ? jwt : undefined;
  }

  private pair(): { privateKey: KeyObject; publicKey: KeyObject } {
    this.keys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
    return this.keys;
  }
}
