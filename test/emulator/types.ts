/**
 * The public surface of the local Azure emulator. End-to-end tests, the demo (`npm start`) and the
 * benchmark use only what is declared here; everything else in test/emulator is internal.
 *
 * Wire facts: docs/azure-protocols.md. Recorded real responses: test/fixtures/recordings.
 */

/** Attributes of one secret version, as Key Vault stores them (times in Unix seconds). */
export interface SecretSeed {
  value: string;
  enabled?: boolean; // default true
  nbf?: number;
  exp?: number;
  contentType?: string;
  tags?: Record<string, string>;
  /** Certificate-backed secret: `managed: true` and a `kid`. */
  managed?: boolean;
  /** Added: version id (32 lower-case hex) to use instead of a random one, e.g. a recorded one. */
  version?: string;
  /** Added: `created` / `updated` in Unix seconds (default: the emulator clock; `updated` = `created`). */
  created?: number;
  updated?: number;
}

export interface VaultOptions {
  /** Vault name, e.g. "contoso-kv". */
  name: string;
  /** Tenant the vault belongs to; echoed in the 401 challenge. */
  tenantId: string;
  /** DNS suffix; default "vault.azure.net". The vault host is `<name>.<dnsSuffix>`. */
  dnsSuffix?: string;
  /** Token audience the vault accepts; default `https://<dnsSuffix>` ("https://vault.azure.net"). */
  resource?: string;
  /** Authorisation model. "rbac" (default) or "accessPolicy". */
  accessModel?: 'rbac' | 'accessPolicy';
  /** Page size for list operations (service default 25; `maxresults` caps it further). */
  pageSize?: number;
  /** Insert this many empty-but-continued pages before the first item page (as real vaults do). */
  leadingEmptyPages?: number;
  /** Added: answer 429 `Throttled` when more than `limit` authenticated GET/LIST requests arrive
   *  within a sliding `windowMs` (emulator clock); with `Retry-After` (seconds) unless `retryAfter` is false. */
  throttle?: { limit: number; windowMs: number; retryAfter?: boolean };
  /** Added: rewrites every `nextLink` the vault sends (list pages), e.g. to make it repeat a page
   *  for ever or point at another host. The vault serves whatever link comes back to it as usual. */
  rewriteNextLink?: (nextLink: string) => string;
  /** Added: region in `x-ms-keyvault-region` and error texts; default "westus". */
  region?: string;
  /** Added: soft-delete retention, 7-90 days (default 90). 90 gives `Recoverable+Purgeable`, fewer
   *  `CustomizedRecoverable+Purgeable`, as the recordings show. */
  softDeleteRetentionDays?: number;
  /** Added: used in the RBAC denial's `Resource:` path; defaults derived from the vault name. */
  subscriptionId?: string;
  resourceGroup?: string;
  /** Added: host in the 401 challenge's `authorization` URL; default by cloud from `dnsSuffix`
   *  (login.microsoftonline.com, .us for usgovcloudapi.net, login.chinacloudapi.cn for azure.cn). */
  authorityHost?: string;
}

export interface EmulatedVault {
  readonly name: string;
  readonly host: string;
  readonly url: string; // https://<host>
  /** Adds a new version of a secret; returns the 32-hex version id. */
  setSecret(name: string, seed: SecretSeed | string): string;
  /** Grants a principal (by appId / clientId) read access: RBAC "Key Vault Secrets User", or an
   *  access policy with the given permissions (default get + list). */
  grant(appId: string, permissions?: Array<'get' | 'list' | 'set'>): void; // 'set' added, for PUT
  revoke(appId: string): void;
}

/** A service principal registered in a tenant of the emulated Entra ID. */
export interface ServicePrincipalOptions {
  tenantId: string;
  appId: string;
  /** Object id put in tokens as `oid`; random when omitted. */
  objectId?: string;
  /** Accepted client secret(s). */
  secrets?: string[];
  /** Secrets that exist but have expired (AADSTS7000222 when presented). */
  expiredSecrets?: string[];
  /** PEM certificates (public part) accepted for client assertions (matched by x5t#S256, or by the
   *  SHA-1 x5t older clients send). Added: verified since this version (PS256 and RS256). */
  certificates?: string[];
  /** Federated identity credentials accepted for client assertions. Added: verified since this
   *  version, against tokens the emulated Azure DevOps issued (`addDevOpsJob`). `issuer` and
   *  `subject` compare case-sensitively; `audience` defaults to "api://AzureADTokenExchange". */
  federatedCredentials?: Array<{ issuer: string; subject: string; audience?: string }>;
}

/** One HTTP request the emulator answered (proxy CONNECTs are in `tunnels`). */
export interface RecordedRequest {
  /** Sequence number across all hosts, starting at 1. */
  seq: number;
  host: string; // without port
  method: string;
  /** Path without the query string, e.g. "/secrets/db-password/". */
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  headers: Record<string, string>; // lower-case names
  body: string;
  /** 0 when a `reset` fault destroyed the socket instead of answering. */
  status: number;
  /** Added: the answer's headers, lower-case names (none after a `reset`); e.g. Key Vault's
   *  `x-ms-request-id`, `x-ms-keyvault-rbac-assignment-id`, `x-ms-keyvault-network-info`.
   *  The request's own `user-agent` and `x-ms-client-request-id` are in `headers`. */
  responseHeaders: Record<string, string>;
  /** What the emulator understood the request to be, e.g. "kv.get", "kv.list", "kv.challenge", "entra.token", "oidc.token", "mi.token".
   *  Implemented now: kv.challenge, kv.get, kv.getVersion, kv.list, kv.listVersions, kv.set,
   *  entra.token, entra.openid, entra.discovery, entra.keys (added: the jwks_uri), unknown;
   *  added: oidc.token (host dev.azure.com) and mi.token (host 127.0.0.1, plain http). */
  kind: string;
  /** appId of the caller when a valid bearer token was presented. */
  caller?: string;
  /** Connection id, TLS or (managed identity) plain http; the same id means the connection was reused. */
  connectionId: number;
  /** Added: the client closed the connection before the answer (status 0), e.g. its timeout. */
  abandoned?: boolean;
}

export interface RecordedTunnel {
  target: string; // host:port asked for in CONNECT
  proxyAuthorization?: string;
  status: number; // what the proxy answered
}

/** A rule that changes how matching requests are answered; rules are consulted in order. */
export interface FaultRule {
  /** Which requests: host suffix, kind and/or path regex. All given conditions must match. */
  host?: string;
  kind?: string;
  path?: RegExp;
  /** How many matching requests to affect; default: all. */
  times?: number;
  /** What to do. */
  action:
    | { type: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
    | { type: 'reset' } // destroy the socket without a response
    | { type: 'delay'; ms: number } // answer normally after a delay
    /** Added: call `run` (synchronously, before the request is handled), then go on to the next
     *  rule or answer normally. E.g. move the emulator clock (`now`) so the token in this very
     *  request has expired; count calls in `run` to act on the N-th matching request only. */
    | { type: 'hook'; run: () => void }
    /** Added: answer normally, then break the body as a failing network or gateway might:
     *  `cut` ends it in the middle of its `value` (or its middle when it has none), `bom` puts a
     *  UTF-8 byte-order mark before it, `trailing` appends bytes after the JSON. The status and
     *  headers stay (a 200 with a JSON content type). Every broken body is kept in `brokenBodies`. */
    | { type: 'malformed'; form: 'cut' | 'bom' | 'trailing' };
}

export interface EmulatorOptions {
  /** Latency added to every HTTPS request before it is answered (default 0). */
  latencyMs?: number;
  /** Proxy credentials; when set, CONNECT without the right Proxy-Authorization gets 407. */
  proxyAuth?: { username: string; password: string };
  /** Added: `expires_in` and lifetime of issued access tokens (default 3599). */
  tokenLifetimeSeconds?: number;
  /** Added: the emulator clock in epoch milliseconds (default Date.now). Drives token issue and
   *  expiry checks, secret timestamps and throttling windows, so tests can move time without sleeping. */
  now?: () => number;
}

/** Added: an Azure DevOps pipeline job that can ask for OIDC tokens (docs/azure-protocols.md §5). */
export interface DevOpsJobOptions {
  /** Organization name, e.g. "contoso" (in URLs and subjects). */
  organization: string;
  /** Organization id (GUID): the issuer is `https://vstoken.dev.azure.com/<organizationId>`. */
  organizationId: string;
  /** Project name (in subjects) and id (in the request URL). */
  projectName: string;
  projectId: string;
  /** The job's System.AccessToken (SYSTEMVSSCONNECTION); the OIDC endpoint wants it as bearer. */
  accessToken: string;
  /** Workload identity federation service connections the job may use. */
  serviceConnections: Array<{ id: string; name: string }>;
}

export interface EmulatedDevOpsJob {
  /** SYSTEM_OIDCREQUESTURI: `https://dev.azure.com/<org>/<projectId>/_apis/distributedtask/hubs/build/plans/<planId>/jobs/<jobId>/oidctoken`. */
  readonly oidcRequestUri: string;
  /** `iss` of the OIDC tokens: `https://vstoken.dev.azure.com/<organizationId>`. */
  readonly issuer: string;
  /** `sub` of the OIDC token for a connection: `sc://<org>/<projectName>/<connection name>`.
   *  Throws for an id not in `serviceConnections`. */
  subjectFor(connectionId: string): string;
  /** SYSTEM_COLLECTIONURI / SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: `https://dev.azure.com/<org>/`. */
  readonly collectionUri: string;
}

/** Added: a managed identity endpoint on the agent machine (docs/azure-protocols.md §4). */
export interface ManagedIdentityOptions {
  /** "imds" (VMs, scale sets: AZURE_POD_IDENTITY_AUTHORITY_HOST) or "appService" (IDENTITY_ENDPOINT). */
  source: 'imds' | 'appService';
  /** Identities assigned to the machine. One without `userAssignedClientId` is the system-assigned
   *  identity (at most one); the others are user-assigned, picked by `client_id` (or `object_id`). */
  identities: Array<{
    appId: string;
    objectId?: string; // random when omitted
    tenantId: string;
    userAssignedClientId?: string;
  }>;
}

export interface ManagedIdentityEndpoint {
  /** Variables that point MSAL at this endpoint; run the client with them (and NO_PROXY=127.0.0.1,
   *  since core-rest-pipeline would otherwise send this plain-http traffic to HTTPS_PROXY). */
  readonly env: Record<string, string>;
  /** The token URL itself, e.g. `http://127.0.0.1:<port>/metadata/identity/oauth2/token`. */
  readonly url: string;
  /** The same variables for a port that was bound and closed again: nothing listens there
   *  (ECONNREFUSED), as on an agent without managed identity. */
  readonly closedEnv: Record<string, string>;
}

/** Added: a client certificate as an Azure DevOps spnCertificate connection holds it. */
export interface TestCertificate {
  /** `-----BEGIN CERTIFICATE-----` (register it in `ServicePrincipalOptions.certificates`). */
  certificatePem: string;
  /** PKCS#8 `-----BEGIN PRIVATE KEY-----`. */
  privateKeyPem: string;
  /** Private key followed by the certificate (`ClientCertificateCredential({ certificate })`). */
  combinedPem: string;
}

export interface AzureEmulator {
  /** `http://127.0.0.1:<port>`: the CONNECT proxy to hand to the task as AGENT_PROXYURL. */
  readonly proxyUrl: string;
  /** PEM of the test CA, and a file holding it (for NODE_EXTRA_CA_CERTS). */
  readonly caCertPem: string;
  readonly caCertFile: string;
  /** `https://127.0.0.1:<port>`: the TLS server itself, for in-process clients that skip the proxy. */
  readonly directUrl: string;
  addVault(options: VaultOptions): EmulatedVault;
  addServicePrincipal(options: ServicePrincipalOptions): void;
  /** Added: serve another Entra authority host (Azure Stack, AD FS-like); it gets a certificate and
   *  is reachable through the proxy like login.microsoftonline.com. */
  addAuthorityHost(host: string): void;
  /** Added: an Azure DevOps job whose OIDC endpoint (host dev.azure.com, through the proxy, kind
   *  `oidc.token`) issues tokens for federated credentials. Jobs may be added at any time. */
  addDevOpsJob(options: DevOpsJobOptions): EmulatedDevOpsJob;
  /** Added: a managed identity endpoint on plain http://127.0.0.1:<random port>, not behind the
   *  proxy; its requests are recorded (host 127.0.0.1, kind `mi.token`) and fault rules apply
   *  (latencyMs does not). The emulator's `close()` stops it. */
  startManagedIdentity(options: ManagedIdentityOptions): Promise<ManagedIdentityEndpoint>;
  /** Every answered request, in order. */
  readonly requests: RecordedRequest[];
  readonly tunnels: RecordedTunnel[];
  /** Added: every body a `malformed` fault sent, as sent (the leak hunt looks for what they held). */
  readonly brokenBodies: string[];
  /** Adds a fault rule; returns a function that removes it. */
  addFault(rule: FaultRule): () => void;
  /** Clears recorded requests and tunnels (not state), in place; `seq` starts again at 1. */
  resetLog(): void;
  close(): Promise<void>;
}
