/**
 * Client assertions at the emulated token endpoint, in process: certificate assertions (PS256 with
 * x5t#S256, RS256 with SHA-1 x5t) and federated assertions (Azure DevOps OIDC tokens), with the
 * AADSTS answers for each way they can be wrong. The clock is the emulator's injectable one.
 */
import assert from 'node:assert/strict';
import { constants, createHash, createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { createTestCertificate, decodeJwtPayload, startAzure } from './index';
import { call, type CallResult } from './testClient';
import type { AzureEmulator, EmulatedDevOpsJob, TestCertificate } from './types';

const TENANT = '2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182';
const CERT_APP = '3c4d5e6f-7081-4b92-8c3d-4e5f60718293';
const WIF_APP = '4d5e6f70-8192-4ca3-9d4e-5f60718293a4';
const JOB_TOKEN = 'job-token';
const CONNECTION = '5e6f7081-92a3-4db4-8e5f-60718293a4b5';
const START = Date.UTC(2026, 3, 25, 17, 23, 9);
const TOKEN_ENDPOINT = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function signJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  privateKeyPem: string,
): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  const key = createPrivateKey(privateKeyPem);
  const signature =
    header.alg === 'PS256'
      ? sign('sha256', Buffer.from(input), {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: 32,
        })
      : sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

function thumbprint(pem: string, hash: 'sha256' | 'sha1'): string {
  return createHash(hash).update(new X509Certificate(pem).raw).digest('base64url');
}

describe('client assertions at the token endpoint', () => {
  let emulator: AzureEmulator;
  let now = START;
  let registered: TestCertificate;
  let stranger: TestCertificate;
  let job: EmulatedDevOpsJob;

  const tokenRequest = (
    clientId: string,
    assertion: string,
    type = JWT_BEARER,
  ): Promise<CallResult> =>
    call(emulator, {
      host: 'login.microsoftonline.com',
      method: 'POST',
      path: `/${TENANT}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams({
        client_id: clientId,
        scope: 'https://vault.azure.net/.default',
        grant_type: 'client_credentials',
        client_assertion_type: type,
        client_assertion: assertion,
      }).toString(),
    });

  /** A certificate assertion as MSAL builds it (PS256, x5t#S256, 10 minutes), with overrides. */
  const certificateAssertion = (
    overrides: {
      header?: Record<string, unknown>;
      claims?: Record<string, unknown>;
      key?: string;
    } = {},
  ): string => {
    const nbf = Math.floor(now / 1000);
    return signJwt(
      {
        alg: 'PS256',
        typ: 'JWT',
        'x5t#S256': thumbprint(registered.certificatePem, 'sha256'),
        ...overrides.header,
      },
      {
        aud: TOKEN_ENDPOINT,
        iss: CERT_APP,
        sub: CERT_APP,
        jti: 'a1',
        nbf,
        iat: nbf,
        exp: nbf + 600,
        ...overrides.claims,
      },
      overrides.key ?? registered.privateKeyPem,
    );
  };

  const oidcToken = async (connectionId = CONNECTION): Promise<string> => {
    const result = await call(emulator, {
      host: 'dev.azure.com',
      method: 'POST',
      path: `${new URL(job.oidcRequestUri).pathname}?api-version=7.1&serviceConnectionId=${connectionId}`,
      headers: { authorization: `Bearer ${JOB_TOKEN}`, 'content-type': 'application/json' },
    });
    assert.equal(result.status, 200, result.text);
    return (result.json as { oidcToken: string }).oidcToken;
  };

  /** AADSTS status, error and code; returns the first line of the description. */
  const aadsts = (result: CallResult, status: number, error: string, code: number): string => {
    assert.equal(result.status, status, result.text);
    const body = result.json as { error: string; error_codes: number[]; error_description: string };
    assert.equal(body.error, error);
    assert.deepEqual(body.error_codes, [code]);
    return body.error_description.split('\r\n')[0] ?? '';
  };

  before(async () => {
    [registered, stranger] = await Promise.all([
      createTestCertificate(),
      createTestCertificate('CN=stranger'),
    ]);
    emulator = await startAzure({ now: () => now });
    emulator.addServicePrincipal({
      tenantId: TENANT,
      appId: CERT_APP,
      certificates: [registered.certificatePem],
    });
    job = emulator.addDevOpsJob({
      organization: 'fabrikam',
      organizationId: '6f708192-a3b4-4c5d-9e6f-708192a3b4c5',
      projectName: 'Vaults',
      projectId: '708192a3-b4c5-4d6e-8f70-8192a3b4c5d6',
      accessToken: JOB_TOKEN,
      serviceConnections: [
        { id: CONNECTION, name: 'Prod-KV' },
        { id: '8192a3b4-c5d6-4e7f-8081-92a3b4c5d6e7', name: 'prod-kv' },
      ],
    });
    emulator.addServicePrincipal({
      tenantId: TENANT,
      appId: WIF_APP,
      federatedCredentials: [{ issuer: job.issuer, subject: job.subjectFor(CONNECTION) }],
    });
  });
  after(() => emulator.close());
  afterEach(() => {
    now = START;
  });

  describe('certificate', () => {
    it('accepts PS256 with x5t#S256 and issues a certificate-authenticated token (appidacr 2)', async () => {
      const result = await tokenRequest(CERT_APP, certificateAssertion());
      assert.equal(result.status, 200, result.text);
      const claims = decodeJwtPayload((result.json as { access_token: string }).access_token);
      assert.equal(claims.appid, CERT_APP);
      assert.equal(claims.appidacr, '2');
      assert.equal(emulator.requests.at(-1)?.caller, CERT_APP);
    });

    it('accepts RS256 with the SHA-1 x5t older clients send', async () => {
      const assertion = certificateAssertion({
        header: {
          alg: 'RS256',
          'x5t#S256': undefined,
          x5t: thumbprint(registered.certificatePem, 'sha1'),
        },
      });
      assert.equal((await tokenRequest(CERT_APP, assertion)).status, 200);
    });

    it('answers an unregistered certificate with 401 AADSTS700027 naming thumbprint and app', async () => {
      const assertion = certificateAssertion({
        header: { 'x5t#S256': thumbprint(stranger.certificatePem, 'sha256') },
        key: stranger.privateKeyPem,
      });
      const hex = Buffer.from(thumbprint(stranger.certificatePem, 'sha256'), 'base64url')
        .toString('hex')
        .toUpperCase();
      assert.equal(
        aadsts(await tokenRequest(CERT_APP, assertion), 401, 'invalid_client', 700027),
        `AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${hex}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${CERT_APP}'. Review the documentation at https://docs.microsoft.com/en-us/graph/api/application-addkey for more information.]`,
      );
    });

    it('answers a signature by another key with AADSTS700027 failed signature validation', async () => {
      const line = aadsts(
        await tokenRequest(CERT_APP, certificateAssertion({ key: stranger.privateKeyPem })),
        401,
        'invalid_client',
        700027,
      );
      assert.match(
        line,
        /^AADSTS700027: Client assertion failed signature validation\. \[Reason - Key was found, but use of the key to verify the signature failed\., Thumbprint of key used by client: '[0-9A-F]{64}', Found key 'Start=\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d, End=\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d'\]$/,
      );
      // A PS256 header over an RS256 signature fails too: the padding is part of the algorithm.
      const mislabelled = certificateAssertion({ header: { alg: 'RS256' } }).split('.');
      const relabelled = `${b64url({ ...JSON.parse(Buffer.from(mislabelled[0] ?? '', 'base64url').toString()), alg: 'PS256' })}.${mislabelled[1]}.${mislabelled[2]}`;
      aadsts(await tokenRequest(CERT_APP, relabelled), 401, 'invalid_client', 700027);
    });

    it('answers iss/sub other than the client id with AADSTS700021', async () => {
      const assertion = certificateAssertion({ claims: { iss: WIF_APP, sub: WIF_APP } });
      assert.match(
        aadsts(await tokenRequest(CERT_APP, assertion), 401, 'invalid_client', 700021),
        /^AADSTS700021: Client assertion application identifier doesn't match 'client_id' parameter\./,
      );
    });

    it('answers an aud other than the token endpoint with AADSTS700023', async () => {
      const assertion = certificateAssertion({
        claims: { aud: `https://login.microsoftonline.com/${TENANT}/v2.0` },
      });
      assert.match(
        aadsts(await tokenRequest(CERT_APP, assertion), 401, 'invalid_client', 700023),
        /^AADSTS700023: Client assertion audience claim does not match Realm issuer\./,
      );
    });

    it('answers an expired assertion with AADSTS700024 and the three times', async () => {
      const assertion = certificateAssertion();
      now += 600_000; // exactly `exp`
      assert.equal(
        aadsts(await tokenRequest(CERT_APP, assertion), 401, 'invalid_client', 700024),
        'AADSTS700024: Client assertion is not within its valid time range. Current time: 2026-04-25T17:33:09.0000000Z, assertion valid from 2026-04-25T17:23:09.0000000Z, expiry time of assertion 2026-04-25T17:33:09.0000000Z. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .',
      );
    });

    it('tolerates an nbf a little ahead of the emulator clock, not one far ahead', async () => {
      const nbf = Math.floor(now / 1000);
      const ahead = (seconds: number): string =>
        certificateAssertion({ claims: { nbf: nbf + seconds, exp: nbf + seconds + 600 } });
      assert.equal((await tokenRequest(CERT_APP, ahead(1))).status, 200);
      aadsts(await tokenRequest(CERT_APP, ahead(3600)), 401, 'invalid_client', 700024);
    });

    it('answers a malformed assertion with AADSTS50027 and a missing type with AADSTS900144', async () => {
      assert.equal(
        aadsts(await tokenRequest(CERT_APP, 'a.b.c'), 400, 'invalid_request', 50027),
        'AADSTS50027: JWT token is invalid or malformed.',
      );
      assert.match(
        aadsts(
          await tokenRequest(CERT_APP, certificateAssertion(), ''),
          400,
          'invalid_request',
          900144,
        ),
        /'client_assertion_type'/,
      );
      const other = await tokenRequest(CERT_APP, certificateAssertion(), 'urn:example:saml');
      assert.equal(other.status, 400);
      assert.deepEqual((other.json as { error_codes: number[] }).error_codes, []);
    });
  });

  describe('federated (Azure DevOps OIDC token)', () => {
    it('accepts the job’s OIDC token for a matching credential', async () => {
      const result = await tokenRequest(WIF_APP, await oidcToken());
      assert.equal(result.status, 200, result.text);
      const claims = decodeJwtPayload((result.json as { access_token: string }).access_token);
      assert.equal(claims.appid, WIF_APP);
      assert.equal(claims.appidacr, '2');
    });

    it('compares subjects case-sensitively: AADSTS700213 quoting the presented subject', async () => {
      const token = await oidcToken('8192a3b4-c5d6-4e7f-8081-92a3b4c5d6e7'); // "prod-kv", not "Prod-KV"
      assert.equal(
        aadsts(await tokenRequest(WIF_APP, token), 401, 'invalid_client', 700213),
        "AADSTS700213: No matching federated identity record found for presented assertion subject 'sc://fabrikam/Vaults/prod-kv'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
      );
    });

    it('answers an application without a matching issuer with 400 AADSTS70021', async () => {
      const token = await oidcToken();
      assert.equal(
        aadsts(await tokenRequest(CERT_APP, token), 400, 'invalid_request', 70021),
        `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${job.issuer}'. Assertion Subject: 'sc://fabrikam/Vaults/Prod-KV'. Assertion Audience: 'api://AzureADTokenExchange'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
      );
    });

    it('answers a credential for another audience with AADSTS700212', async () => {
      emulator.addServicePrincipal({
        tenantId: TENANT,
        appId: '92a3b4c5-d6e7-4f80-9192-a3b4c5d6e7f8',
        federatedCredentials: [
          {
            issuer: job.issuer,
            subject: job.subjectFor(CONNECTION),
            audience: 'api://AzureADTokenExchangeUSGov',
          },
        ],
      });
      assert.match(
        aadsts(
          await tokenRequest('92a3b4c5-d6e7-4f80-9192-a3b4c5d6e7f8', await oidcToken()),
          401,
          'invalid_client',
          700212,
        ),
        /presented assertion audience 'api:\/\/AzureADTokenExchange'/,
      );
    });

    it('refuses a token with the right claims that Azure DevOps did not sign', async () => {
      const claims = decodeJwtPayload(await oidcToken());
      const forged = signJwt(
        { alg: 'RS256', typ: 'JWT', kid: 'forged' },
        claims,
        stranger.privateKeyPem,
      );
      assert.match(
        aadsts(await tokenRequest(WIF_APP, forged), 401, 'invalid_client', 50013),
        /^AADSTS50013: Assertion failed signature validation\./,
      );
    });

    it('answers an OIDC token used after its ten minutes with AADSTS700024', async () => {
      const token = await oidcToken();
      const claims = decodeJwtPayload(token);
      assert.equal(Number(claims.exp) - Number(claims.nbf), 600);
      now += 10 * 60_000 + 1000;
      assert.match(
        aadsts(await tokenRequest(WIF_APP, token), 401, 'invalid_client', 700024),
        /^AADSTS700024: Client assertion is not within its valid time range\. Current time: 2026-04-25T17:33:10\.0000000Z, assertion valid from 2026-04-25T17:23:09\.0000000Z, expiry time of assertion 2026-04-25T17:33:09\.0000000Z\./,
      );
    });
  });
});
