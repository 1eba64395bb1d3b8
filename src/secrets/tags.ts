/** One TagFilter condition: the tag is present (`key`), or has this value (`key=value`). */
export interface TagCondition {
  key: string;
  value: string | undefined;
}

/**
 * Whether tags satisfy every condition. Tag names are matched ignoring case and values exactly,
 * as Azure treats tags ("Tag names are case-insensitive for operations", Limitations in
 * https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources).
 */
export function matchesTags(
  tags: Readonly<Record<string, string>>,
  conditions: TagCondition[],
): boolean {
  if (conditions.length === 0) return true;
  const byKey = new Map(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  return conditions.every((c) => {
    const value = byKey.get(c.key.toLowerCase());
    return value !== undefined && (c.value === undefined || value === c.value);
  });
}
