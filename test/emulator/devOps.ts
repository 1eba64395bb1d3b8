/**
 * Azure DevOps as a pipeline job sees it for workload identity federation (docs/azure-protocols.md §5,
 * docs/agent-interface.md §9): `POST {SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId=<id>`
 * with the job's access token as bearer answers `{"oidcToken":"<JWT>"}`, a token of the
 * `https://vstoken.dev.azure.com/<organizationId>` issuer for `sc://<org>/<project>/<connection>`.
 *
 * Failures, in the order the service applies them: a missing or wrong bearer gets 401 with the
 * TF400813 text (plain text; the SDK quotes the body and the x-vss-e2eid / x-msedge-ref headers);
 * no api-version gets 400 VssVersionNotSpecifiedException; an unknown service connection id gets
 * 404 with a VSS JSON error (`ServiceEndpointNotFoundException`: the emulator's choice, no public
 * recording of this answer was found); a plan or job the emulator does not know gets 404 as well.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { jsonReply, type HostService, type IncomingCall, type Reply } from './hostService';
import type { OidcIssuerKey } from './oidcIssuer';
import type { DevOpsJobOptions, EmulatedDevOpsJob } from './types';
import { bearerToken } from './vaultAuth';

export const DEVOPS_HOST = 'dev.azure.com';
const OIDC_AUDIENCE = 'api://AzureADTokenExchange';
const OIDC_LIFETIME_SECONDS = 600; // "valid about 10 minutes" (docs/agent-interface.md §9)
const OIDC_PATH =
  /^\/([^/]+)\/([^/]+)\/_apis\/distributedtask\/hubs\/([^/]+)\/plans\/([^/]+)\/jobs\/([^/]+)\/oidctoken\/?$/i;
const VSS_JSON = 'application/json; charset=utf-8; api-version=7.1';

interface Job extends EmulatedDevOpsJob {
  options: DevOpsJobOptions;
  /** `/<org>/<projectId>/_apis/…/oidctoken`, lower-cased for matching. */
  pathKey: string;
}

export class DevOpsService implements HostService {
  private readonly jobs: Job[] = [];

  constructor(private readonly env: { key: OidcIssuerKey; now: () => number }) {}

  addJob(options: DevOpsJobOptions): EmulatedDevOpsJob {
    const planId = randomUUID();
    const jobId = randomUUID();
    const path = `/${options.organization}/${options.projectId}/_apis/distributedtask/hubs/build/plans/${planId}/jobs/${jobId}/oidctoken`;
    const connections = options.serviceConnections.map((c) => ({ ...c }));
    const job: Job = {
      options: { ...options, serviceConnections: connections },
      pathKey: path.toLowerCase(),
      oidcRequestUri: `https://${DEVOPS_HOST}${path}`,
      issuer: `https://vstoken.dev.azure.com/${options.organizationId}`,
      collectionUri: `https://${DEVOPS_HOST}/${options.organization}/`,
      subjectFor(connectionId: string): string {
        const connection = findConnection(connections, connectionId);
        if (!connection) {
          throw new Error(
            `Service connection '${connectionId}' is not one of this job's: ${connections.map((c) => c.id).join(', ')}.`,
          );
        }
        return `sc://${options.organization}/${options.projectName}/${connection.name}`;
      },
    };
    this.jobs.push(job);
    return {
      oidcRequestUri: job.oidcRequestUri,
      issuer: job.issuer,
      collectionUri: job.collectionUri,
      subjectFor: (id) => job.subjectFor(id),
    };
  }

  classify(call: IncomingCall): string {
    return call.method === 'POST' && OIDC_PATH.test(call.path) ? 'oidc.token' : 'unknown';
  }

  baseHeaders(): Record<string, string> {
    const e2eId = randomUUID();
    return {
      'Cache-Control': 'no-cache',
      Pragma: 'no-cache',
      P3P: 'CP="CAO DSP COR ADMa DEV CONo TELo CUR PSA PSD TAI IVDo OUR SAMi BUS DEM NAV STA UNI COM INT PHY ONL FIN PUR LOC CNT"',
      'X-TFS-ProcessId': randomUUID(),
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      ActivityId: e2eId,
      'X-TFS-Session': e2eId,
      'X-VSS-E2EID': e2eId,
      'X-VSS-SenderDeploymentId': '1d9b8f2e-3c4a-4b5d-8e6f-7a8b9c0d1e2f',
      'X-Frame-Options': 'SAMEORIGIN',
      'X-Content-Type-Options': 'nosniff',
      'X-Cache': 'CONFIG_NOCACHE',
      'X-MSEdge-Ref': `Ref A: ${randomBytes(16).toString('hex').toUpperCase()} Ref B: CO1EDGE0000 Ref C: ${new Date(this.env.now()).toISOString().slice(0, 19)}Z`,
    };
  }

  handle(call: IncomingCall, kind: string): Reply {
    const base = this.baseHeaders();
    if (kind !== 'oidc.token') {
      return vssError(
        404,
        base,
        `The resource '${call.path}' was not found.`,
        'NotFoundException',
        'System.Web.Http.HttpResponseException, System.Web.Http',
      );
    }
    // Authentication comes first: a token no job holds is anonymous, wherever it is sent.
    const token = bearerToken(call.headers.authorization);
    if (!this.jobs.some((j) => j.options.accessToken === token)) return unauthorized(base);
    const job = this.jobs.find((j) => j.pathKey === call.path.replace(/\/$/, '').toLowerCase());
    if (!job) {
      return vssError(
        404,
        base,
        'The orchestration plan or job was not found. The job may have finished, or the URL is not the one in SYSTEM_OIDCREQUESTURI.',
        'TaskOrchestrationJobNotFoundException',
        'Microsoft.TeamFoundation.DistributedTask.WebApi.TaskOrchestrationJobNotFoundException, Microsoft.TeamFoundation.DistributedTask.WebApi',
      );
    }
    if (token !== job.options.accessToken) return unauthorized(base);
    // The SDK may percent-encode query keys; IncomingCall.query is already decoded (URLSearchParams).
    if (!call.query['api-version']) {
      return vssError(
        400,
        base,
        'No api-version was supplied for the "POST" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. \'?api-version=1.0\').',
        'VssVersionNotSpecifiedException',
        'Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException, Microsoft.VisualStudio.Services.WebApi',
      );
    }
    const connectionId = call.query.serviceConnectionId ?? '';
    const connection = findConnection(job.options.serviceConnections, connectionId);
    if (!connection) {
      return vssError(
        404,
        base,
        `Service connection with id '${connectionId}' was not found, or the pipeline is not authorized to use it.`,
        'ServiceEndpointNotFoundException',
        'Microsoft.TeamFoundation.DistributedTask.WebApi.ServiceEndpointNotFoundException, Microsoft.TeamFoundation.DistributedTask.WebApi',
      );
    }
    const now = Math.floor(this.env.now() / 1000);
    const oidcToken = this.env.key.sign({
      jti: randomUUID(),
      sub: job.subjectFor(connection.id),
      aud: OIDC_AUDIENCE,
      iss: job.issuer,
      nbf: now,
      exp: now + OIDC_LIFETIME_SECONDS,
      iat: now,
    });
    const reply = jsonReply(200, base, { oidcToken });
    return { ...reply, headers: { ...reply.headers, 'Content-Type': VSS_JSON } };
  }
}

function findConnection(
  connections: Array<{ id: string; name: string }>,
  id: string,
): { id: string; name: string } | undefined {
  return connections.find((c) => c.id.toLowerCase() === id.toLowerCase());
}

/** 401 as Azure DevOps sends it to a request with `X-TFS-FedAuthRedirect: Suppress`. */
function unauthorized(base: Record<string, string>): Reply {
  const text =
    'TF400813: Resource not available for anonymous access. Client authentication required.';
  return {
    status: 401,
    headers: {
      ...base,
      'Content-Type': 'text/plain; charset=utf-8',
      'WWW-Authenticate':
        'Bearer authorization_uri=https://login.microsoftonline.com/common, Basic realm="https://tfsprodcus3.visualstudio.com/", TFS-Federated',
      'X-TFS-ServiceError': encodeURIComponent(text),
      'X-TFS-FedAuthRealm': 'https://tfsprodcus3.visualstudio.com/',
    },
    body: text,
  };
}

/** The VSS error body: `{"$id":"1","innerException":null,"message",…,"errorCode":0,"eventId":3000}`. */
function vssError(
  status: number,
  base: Record<string, string>,
  message: string,
  typeKey: string,
  typeName: string,
): Reply {
  const reply = jsonReply(status, base, {
    $id: '1',
    innerException: null,
    message,
    typeName,
    typeKey,
    errorCode: 0,
    eventId: 3000,
  });
  return { ...reply, headers: { ...reply.headers, 'Content-Type': VSS_JSON } };
}
