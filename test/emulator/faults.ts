/**
 * Fault rules: which requests get a canned status, a reset or a delay instead of normal handling,
 * or run a hook (e.g. move the emulator clock) before they are handled.
 */
import type { FaultRule } from './types';

type Action = FaultRule['action'];

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export class FaultRules {
  private rules: ActiveRule[] = [];

  /** Adds a rule after the existing ones; the returned function removes it. */
  add(rule: FaultRule): () => void {
    const active: ActiveRule = { rule, remaining: rule.times ?? Number.POSITIVE_INFINITY };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter((r) => r !== active);
    };
  }

  /**
   * The actions for one request, in rule order, up to and including the first one that answers
   * (`status` or `reset`): delays and hooks before it all run. Each matching rule uses up one of
   * its `times`.
   */
  take(host: string, kind: string, path: string): Action[] {
    const actions: Action[] = [];
    for (const active of this.rules) {
      if (active.remaining <= 0 || !matches(active.rule, host, kind, path)) continue;
      active.remaining -= 1;
      actions.push(active.rule.action);
      if (active.rule.action.type === 'status' || active.rule.action.type === 'reset') break;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return actions;
  }
}

function matches(rule: FaultRule, host: string, kind: string, path: string): boolean {
  if (rule.host !== undefined && !host.endsWith(rule.host.toLowerCase())) return false;
  if (rule.kind !== undefined && rule.kind !== kind) return false;
  if (rule.path !== undefined) {
    rule.path.lastIndex = 0; // a /g or /y regex keeps state between test() calls
    if (!rule.path.test(path)) return false;
  }
  return true;
}
