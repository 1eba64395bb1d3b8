/** What a dry run prints and what its summary says it checked (DryRun). */
import type { SecretSelection } from '../config/secretsFilter';
import type { Plan } from '../plan/plan';
import { formatDate } from './markdown';
import { quote } from './safeText';

/** One line per variable the plan would set: from which secret, version and field, expiring when. */
export function dryRunLines(plan: Plan, vaultName: string): string[] {
  const lines = plan.variables.map((v) => {
    const field = v.source.field === undefined ? '' : `field ${quote(v.source.field)} of `;
    const version = v.source.version === undefined ? '' : `, version ${v.source.version}`;
    const expires = v.properties.expiresOn
      ? `expires ${formatDate(v.properties.expiresOn)}`
      : 'no expiry';
    return `Dry run: variable ${quote(v.name)} would be set from ${field}secret ${quote(v.source.secretName)}${version} (${expires})${v.output ? ', also as an output variable' : ''}.`;
  });
  const count = plan.variables.length;
  lines.push(
    `Dry run: ${count} variable${count === 1 ? '' : 's'} would be set from vault '${vaultName}'. No secret value was read and no variable was set.`,
  );
  return lines;
}

/**
 * What a dry run that went through verified, and what it could not: Key Vault checks the Get
 * permission only on a read, and a read returns the value.
 */
export function dryRunNotes(
  selection: SecretSelection,
  vaultName: string,
  certificateFiles = false,
): string[] {
  const notes = ['The service connection signed in, and Key Vault accepted its access token.'];
  if (selection.patterns.some((p) => !p.negated)) {
    notes.push(
      `The identity may list the secrets of vault '${vaultName}' (the List permission), and the listing selected the secrets below.`,
    );
  }
  if (selection.exact.length > 0) {
    notes.push(
      "Each named secret (and version) exists and is enabled: read from the secret's version list (GET /secrets/{name}/versions), which needs the List permission too, where a real run of named secrets needs only Get.",
    );
  }
  notes.push(
    'Not verified: that the identity may read the values (the Get permission; with Azure RBAC the data action Microsoft.KeyVault/vaults/secrets/getSecret/action, which "Key Vault Secrets User" includes). Key Vault checks it only on a read, and a read returns the value, so a dry run cannot prove it.',
  );
  if (selection.exact.some((e) => e.field !== undefined)) {
    notes.push(
      'Not verified: that the values hold the JSON fields SecretsFilter names; the variables taken from them are named here but not extracted.',
    );
  }
  if (certificateFiles) {
    notes.push(
      'Not verified: that the certificates convert to the files CertificateFormat asks for; their variables are named here, and no file is written.',
    );
  }
  return notes;
}
