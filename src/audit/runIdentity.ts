/**
 * Which pipeline run this is, from the agent's predefined variables (learn.microsoft.com, "Use
 * predefined variables" and, for classic releases, "Classic release and artifacts variables").
 * These ids go into the User-Agent of every Key Vault request, so Key Vault's own audit log can be
 * searched for one run.
 */

/** The ids of one run; each is undefined when the agent did not set it (a local run, say). */
export interface RunIdentity {
  /** System.CollectionId: the organization (collection) id. */
  collectionId: string | undefined;
  /** System.TeamProjectId. */
  projectId: string | undefined;
  /** System.DefinitionId: the build pipeline, or in a classic release the release pipeline. */
  definitionId: string | undefined;
  /** Release.ReleaseId in a classic release, else Build.BuildId. */
  run: { kind: 'build' | 'release'; id: string } | undefined;
  /** System.JobAttempt: 1, then 2, … as the job is re-run. */
  jobAttempt: string | undefined;
}

/** GUIDs and numbers, as the agent sets them; anything else is left out of a header. */
const PLAIN_ID = /^[A-Za-z0-9._-]{1,64}$/;

function plainId(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text && PLAIN_ID.test(text) ? text : undefined;
}

/** Reads the run's ids through a variable getter (the agent port's getVariable). */
export function readRunIdentity(getVariable: (name: string) => string | undefined): RunIdentity {
  // A classic release also carries Build.BuildId (its primary artifact's build): the release
  // id names the run there.
  const releaseId = plainId(getVariable('Release.ReleaseId'));
  const buildId = plainId(getVariable('Build.BuildId'));
  return {
    collectionId: plainId(getVariable('System.CollectionId')),
    projectId: plainId(getVariable('System.TeamProjectId')),
    definitionId: plainId(getVariable('System.DefinitionId')),
    run: releaseId
      ? { kind: 'release', id: releaseId }
      : buildId
        ? { kind: 'build', id: buildId }
        : undefined,
    jobAttempt: plainId(getVariable('System.JobAttempt')),
  };
}
