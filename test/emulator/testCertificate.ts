/**
 * Client certificates for certificate-credential tests: what an Azure DevOps spnCertificate
 * service connection holds (private key and certificate in one PEM) and what the application
 * registration holds (the certificate alone, `ServicePrincipalOptions.certificates`).
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { toPem } from './testCa'; // also sets up @peculiar/x509 (Reflect polyfill, crypto provider)
import * as x509 from '@peculiar/x509';
import type { TestCertificate } from './types';

const RSA_SIGN = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A self-signed RSA-2048 certificate (SHA-256, valid from yesterday for a year) and its key.
 * `combinedPem` is the PKCS#8 key followed by the certificate.
 */
export async function createTestCertificate(
  subject = 'CN=Key Vault Secrets task test client',
): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(RSA_SIGN, true, ['sign', 'verify']);
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // DER integers are signed: keep the serial positive
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    keys,
    signingAlgorithm: RSA_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  const certificatePem = `${certificate.toString('pem')}\n`;
  const privateKeyPem = toPem(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
    'PRIVATE KEY',
  );
  return { certificatePem, privateKeyPem, combinedPem: `${privateKeyPem}${certificatePem}` };
}
