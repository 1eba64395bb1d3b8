/**
 * Which listed version is a secret's current one. A read without a version returns the version
 * created last, so that is the one whose `created` date is the latest. Key Vault lists versions
 * in no date order (by version id in the recordings), and dates have one-second resolution: of
 * versions created in the same second, the one listed last is taken.
 */
export function currentVersion<T extends { createdOn: Date | undefined }>(
  versions: readonly T[],
): T | undefined {
  let current: T | undefined;
  for (const version of versions) {
    if (
      current === undefined ||
      (version.createdOn?.getTime() ?? 0) >= (current.createdOn?.getTime() ?? 0)
    ) {
      current = version;
    }
  }
  return current;
}
