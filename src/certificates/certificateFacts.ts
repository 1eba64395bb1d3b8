/** What a later step needs to know about a certificate without opening its file. */
import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateBundle } from './certificateBundle';

export interface CertificateFacts {
  /** SHA-1 of the leaf certificate's DER, 40 upper-case hex digits, as Windows and Azure show it. */
  thumbprint: string;
  /** The leaf certificate's NotAfter. */
  notAfter: Date;
  /** The leaf certificate's subject, one line (for messages; public). */
  subject: string;
}

export function certificateFacts(bundle: CertificateBundle): CertificateFacts {
  const leafDer = bundle.certificatesDer[0];
  if (!leafDer) throw new Error('A certificate bundle always holds a certificate.');
  const leaf = new X509Certificate(leafDer);
  return {
    thumbprint: createHash('sha1').update(leafDer).digest('hex').toUpperCase(),
    // validTo is OpenSSL's text form ("Apr  6 03:36:01 2027 GMT"); Node 20 has no Date getter.
    notAfter: new Date(leaf.validTo),
    subject: leaf.subject.split('\n').join(', '),
  };
}
