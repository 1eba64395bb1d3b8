import { quote } from '../report/safeText';

/** Vault names: 3–24 characters, letters, digits and hyphens, starting with a letter, ending with a
 * letter or digit, no consecutive hyphens (docs/azure-protocols.md §2). */
const VAULT_NAME = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;

/**
 * Parses `KeyVaultName`. Besides the bare name, accepts the vault's URL or host name in this cloud
 * (people paste `https://contoso-kv.vault.azure.net/`), and returns the bare name.
 */
export function parseVaultName(
  raw: string | undefined,
  dnsSuffix: string,
): { name: string } | { error: string } {
  const input = raw?.trim() ?? '';
  if (input.length === 0) {
    return {
      error: 'KeyVaultName is empty. Set it to the name of the key vault, e.g. contoso-kv.',
    };
  }
  let candidate = input;
  const asHost = input
    .replace(/^https:\/\//i, '')
    .replace(/(:443)?\/*$/, '')
    .toLowerCase();
  const suffix = `.${dnsSuffix.toLowerCase()}`;
  if (asHost.endsWith(suffix)) candidate = asHost.slice(0, -suffix.length);
  else if (/[./:]/.test(input)) {
    return {
      error: `KeyVaultName ${quote(input)} is not a vault name, nor a vault URL in this cloud (*${suffix}). Set it to the vault's name only, e.g. contoso-kv.`,
    };
  }
  if (!VAULT_NAME.test(candidate)) {
    return {
      error: `KeyVaultName ${quote(input)} is not a valid key vault name: names have 3 to 24 characters, letters, digits and hyphens, start with a letter, end with a letter or digit, and have no '--'.`,
    };
  }
  return { name: candidate.toLowerCase() };
}
