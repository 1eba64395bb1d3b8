/**
 * A glob over Key Vault secret names: `*` is any run of characters (none included), everything
 * else matches itself. Key Vault names ignore case, so globs do too. Names hold only letters,
 * digits and hyphens, so nothing but `*` needs care when turned into a regular expression.
 */
export function globMatcher(glob: string): (name: string) => boolean {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const pattern = new RegExp(`^${source}$`, 'is');
  return (name) => pattern.test(name);
}
