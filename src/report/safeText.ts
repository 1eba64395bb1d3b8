/**
 * The agent executes `##vso[` wherever it appears in an output line (docs/agent-interface.md §4), so any
 * text we did not write ourselves (secret names, service error bodies) is defused before printing,
 * the same way task-lib 5.281's writeExternalOutput does it.
 */
export function neutraliseCommands(text: string): string {
  return text.replace(/##vso\[/gi, '##_vso[');
}

function escapeControl(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : char;
}

/** Quotes untrusted text for a one-line message: no line breaks, no control characters, no commands. */
export function quote(text: string, maxLength = 80): string {
  const flat = Array.from(text, escapeControl).join('');
  const cut = flat.length > maxLength ? `${flat.slice(0, maxLength)}…` : flat;
  return `'${neutraliseCommands(cut)}'`;
}
