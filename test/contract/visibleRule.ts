// A parser for the `visibleRule` expressions of task.json inputs and groups, strict enough that a
// rule the classic editor would not evaluate as meant fails the contract tests: `Name op value`
// clauses joined by all `&&` or all `||` (the editor does not mix them), with the operators that
// Microsoft's own tasks use in their rules (microsoft/azure-pipelines-tasks, `Tasks/*/task.json`;
// the task-lib schema describes the form as "variableName = value").

export const VISIBLE_RULE_OPERATORS = [
  '=',
  '==',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'Contains',
  'NotContains',
  'StartsWith',
  'NotStartsWith',
  'EndsWith',
  'NotEndsWith',
] as const;

export interface VisibleRuleClause {
  input: string;
  operator: (typeof VISIBLE_RULE_OPERATORS)[number];
  value: string;
}

export interface VisibleRule {
  joiner: '&&' | '||' | undefined;
  clauses: VisibleRuleClause[];
}

const CLAUSE =
  /^([A-Za-z][A-Za-z0-9]*)\s*(==|!=|<=|>=|=|<|>|\s(?:Not)?(?:Contains|StartsWith|EndsWith)\s)\s*(\S(?:.*\S)?)$/;

/** Parses a rule; throws an Error naming what is wrong. */
export function parseVisibleRule(rule: string): VisibleRule {
  const hasAnd = rule.includes('&&');
  const hasOr = rule.includes('||');
  if (hasAnd && hasOr) throw new Error(`'${rule}' mixes && and ||.`);
  const joiner = hasAnd ? '&&' : hasOr ? '||' : undefined;
  const parts = joiner === undefined ? [rule] : rule.split(joiner);
  const clauses = parts.map((part) => {
    const match = CLAUSE.exec(part.trim());
    if (!match) {
      throw new Error(
        `'${part.trim()}' in '${rule}' is not 'Input operator value' with one of: ${VISIBLE_RULE_OPERATORS.join(' ')}.`,
      );
    }
    return {
      input: match[1]!,
      operator: match[2]!.trim() as VisibleRuleClause['operator'],
      value: match[3]!,
    };
  });
  return { joiner, clauses };
}
