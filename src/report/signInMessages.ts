import type { TokenIdentity } from '../auth/tokenClaims';
import type { ReportContext } from './problemReport';

/** "application 1111… (object id 2222…) in tenant 3333…, workload identity federation". */
export function describeSignIn(ctx: ReportContext, who: TokenIdentity): string {
  const how: Record<ReportContext['authKind'], string> = {
    servicePrincipalSecret: 'service principal with a client secret',
    servicePrincipalCertificate: 'service principal with a certificate',
    managedIdentity: 'managed identity',
    workloadIdentity: 'workload identity federation',
  };
  const app = who.appId ?? ctx.clientId ?? '(unknown)';
  return `application ${app} (object id ${who.objectId ?? 'unknown'}) in tenant ${who.tenantId ?? ctx.tenantId ?? 'unknown'}, using ${how[ctx.authKind]}`;
}

/** A credential that refused its settings when built, explained in terms of the pipeline. */
export function credentialSetupProblem(error: unknown, ctx: ReportContext): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/SYSTEM_OIDCREQUESTURI/.test(message)) {
    return `Workload identity federation needs the variable System.OidcRequestUri, which this job does not have. Azure DevOps Services sets it for pipeline jobs (not Azure DevOps Server, and not on agents older than 3.x): run on Azure DevOps Services with a current agent, or use a service principal or managed identity connection.`;
  }
  if (/tenant id/i.test(message)) {
    return `The tenant id of service connection '${ctx.connectionId}' is not valid. Edit the connection and set the directory (tenant) id.`;
  }
  // The library's own text is data, never a message: name what refused, and what to check.
  const name = error instanceof Error ? error.name : typeof error;
  return `Service connection '${ctx.connectionId}' cannot be used to sign in: the Azure identity library refused its settings (${name}). Check the connection's tenant id, application (client) id and credential (Project settings > Service connections > Edit).`;
}
