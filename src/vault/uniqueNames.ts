/**
 * Key Vault names ignore case (`good` and `GOOD` are one secret), so a listing that repeats a name,
 * in any casing, must yield it once: the first spelling seen wins. Returns a filter that answers
 * true the first time it sees a name.
 */
export function firstOfEachName(): (name: string) => boolean {
  const seen = new Set<string>();
  return (name) => {
    // Key Vault names are ASCII letters, digits and hyphens: lower-casing is exact for them.
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}
