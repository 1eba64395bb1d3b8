/**
 * The classic editor's form for a task, built from its task.json as Azure DevOps lays it out:
 * ungrouped inputs first, then each group (collapsed when `isExpanded` is false), every input with
 * its label, required mark, help icon and control for its type, shown only when its `visibleRule`
 * (and its group's) holds for the values entered. Microsoft describes the fields in
 * https://github.com/microsoft/azure-pipelines-task-lib/blob/master/tasks.schema.json.
 */
import { CHEVRON_DOWN, CHEVRON_UP, COLOURS, escapeHtml, page, topBar } from './html';
import { inlineMarkdown } from './markdown';
import { parseVisibleRule, type VisibleRuleClause } from '../../test/contract/visibleRule';

export interface EditorInput {
  name: string;
  type: string;
  label: string;
  defaultValue?: string | boolean;
  required?: boolean;
  groupName?: string;
  helpMarkDown?: string;
  visibleRule?: string;
  options?: Record<string, string>;
  properties?: Record<string, string>;
}

export interface EditorGroup {
  name: string;
  displayName: string;
  isExpanded?: boolean;
  visibleRule?: string;
}

/** The part of task.json the editor reads. */
export interface EditorTask {
  friendlyName: string;
  version: { Major: number; Minor: number; Patch: number };
  instanceNameFormat: string;
  groups?: EditorGroup[];
  inputs: EditorInput[];
}

export interface EditorExample {
  /** Values entered, by input name; the others keep task.json's default. */
  values: Record<string, string>;
  /** What a control shows instead of its value, e.g. a service connection's name for its id. */
  shown?: Record<string, string>;
  /** The input whose help callout is open, as after a click on its help icon. */
  openHelp?: string;
  /** The pipeline and stage the task sits in, for the frame around the form. */
  pipeline: string;
  stage: string;
  /** The task icon as a `data:` URL. */
  iconDataUrl: string;
}

function compare(clause: VisibleRuleClause, actual: string): boolean {
  // The editor compares text without regard to case (`true` = `True`).
  const a = actual.toLowerCase();
  const b = clause.value.toLowerCase();
  switch (clause.operator) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case 'Contains':
      return a.includes(b);
    case 'NotContains':
      return !a.includes(b);
    case 'StartsWith':
      return a.startsWith(b);
    case 'NotStartsWith':
      return !a.startsWith(b);
    case 'EndsWith':
      return a.endsWith(b);
    case 'NotEndsWith':
      return !a.endsWith(b);
    case '<':
      return Number(actual) < Number(clause.value);
    case '>':
      return Number(actual) > Number(clause.value);
    case '<=':
      return Number(actual) <= Number(clause.value);
    case '>=':
      return Number(actual) >= Number(clause.value);
  }
}

/** Whether a `visibleRule` holds for these values (no rule: always). */
export function isVisible(rule: string | undefined, values: Record<string, string>): boolean {
  if (rule === undefined || !rule.trim()) return true;
  const { joiner, clauses } = parseVisibleRule(rule);
  const results = clauses.map((clause) => compare(clause, values[clause.input] ?? ''));
  return joiner === '||' ? results.some(Boolean) : results.every(Boolean);
}

/** Every input's value: what was entered, else task.json's default. */
export function formValues(
  task: EditorTask,
  entered: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    task.inputs.map((input) => [
      input.name,
      entered[input.name] ?? String(input.defaultValue ?? ''),
    ]),
  );
}

/** `Key Vault secrets: $(KeyVaultName)` with the values entered, as the editor fills it in. */
export function displayName(task: EditorTask, values: Record<string, string>): string {
  return task.instanceNameFormat.replace(/\$\(([^)]+)\)/g, (whole, name: string) =>
    values[name] ? values[name] : whole,
  );
}

const INFO =
  '<svg class="info" width="14" height="14" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="none" stroke="#605e5c" stroke-width="1.2"/><rect x="7.4" y="7" width="1.2" height="5" fill="#605e5c"/><circle cx="8" cy="4.8" r="0.8" fill="#605e5c"/></svg>';
const CHECK =
  '<svg width="12" height="12" viewBox="0 0 12 12"><path d="M2 6.5l2.5 2.5L10 3.5" fill="none" stroke="#fff" stroke-width="1.6"/></svg>';

function control(input: EditorInput, value: string, shown: string | undefined): string {
  const text = escapeHtml(shown ?? input.options?.[value] ?? value);
  const type = input.type.split(':')[0];
  switch (type) {
    case 'boolean':
      return `<label class="checkbox"><span class="box${value.toLowerCase() === 'true' ? ' on' : ''}">${value.toLowerCase() === 'true' ? CHECK : ''}</span>${escapeHtml(input.label)}</label>`;
    case 'radio':
      return `<div class="radios">${Object.entries(input.options ?? {})
        .map(
          ([key, label]) =>
            `<span class="radio"><span class="dot${key === value ? ' on' : ''}"></span>${escapeHtml(label)}</span>`,
        )
        .join('')}</div>`;
    case 'pickList':
    case 'connectedService':
      return `<div class="field select"><span>${text}</span>${CHEVRON_DOWN}</div>`;
    case 'multiLine':
      return `<div class="field multi">${text}</div>`;
    default:
      return `<div class="field">${text}</div>`;
  }
}

function inputRow(input: EditorInput, example: EditorExample, value: string): string {
  const isBoolean = input.type === 'boolean';
  const required = input.required ? '<span class="required">*</span>' : '';
  const manage = input.type.startsWith('connectedService:')
    ? '<span class="manage">Manage <svg width="10" height="10" viewBox="0 0 10 10"><path d="M4 1H1v8h8V6M6 1h3v3M9 1L4.5 5.5" fill="none" stroke="#0078d4" stroke-width="1.1"/></svg></span>'
    : '';
  // An open callout points at its help icon and lies over the form, as in the editor.
  const callout =
    example.openHelp === input.name && input.helpMarkDown
      ? `<div class="callout">${inlineMarkdown(input.helpMarkDown)}</div>`
      : '';
  const help = input.helpMarkDown ? `<span class="help">${INFO}${callout}</span>` : '';
  const label = isBoolean
    ? ''
    : `<div class="label"><span>${escapeHtml(input.label)}</span>${required}${help}${manage}</div>`;
  const booleanHelp = isBoolean ? help : '';
  return `<div class="input" data-input="${escapeHtml(input.name)}">${label}<div class="control">${control(input, value, example.shown?.[input.name])}${booleanHelp}</div></div>`;
}

function section(title: string, expanded: boolean, body: string): string {
  return `<div class="group"><div class="group-header">${expanded ? CHEVRON_UP : CHEVRON_DOWN}<span>${escapeHtml(title)}</span></div>${expanded ? `<div class="group-body">${body}</div>` : ''}</div>`;
}

/** The form's panel alone: display name, ungrouped inputs, groups, and the editor's own groups. */
export function renderTaskForm(task: EditorTask, example: EditorExample): string {
  const values = formValues(task, example.values);
  const visible = (input: EditorInput): boolean => isVisible(input.visibleRule, values);
  const rows = (inputs: EditorInput[]): string =>
    inputs
      .filter(visible)
      .map((input) => inputRow(input, example, values[input.name]!))
      .join('');
  const groupNames = new Set((task.groups ?? []).map((g) => g.name));
  const ungrouped = task.inputs.filter((i) => !i.groupName || !groupNames.has(i.groupName));
  const groups = (task.groups ?? [])
    .filter((group) => isVisible(group.visibleRule, values))
    .map((group) => {
      const inputs = task.inputs.filter((i) => i.groupName === group.name);
      return section(group.displayName, group.isExpanded !== false, rows(inputs));
    })
    .join('');
  const nameRow = `<div class="input"><div class="label"><span>Display name</span><span class="required">*</span></div><div class="control"><div class="field">${escapeHtml(displayName(task, values))}</div></div></div>`;
  return `<div class="panel">
<div class="panel-header"><div class="title">${escapeHtml(task.friendlyName)} ${INFO}</div>
<div class="version"><span class="muted">Task version</span><div class="field select small"><span>${task.version.Major}.*</span>${CHEVRON_DOWN}</div></div></div>
<div class="panel-body">${nameRow}${rows(ungrouped)}${groups}${section('Control Options', false, '')}${section('Output Variables', false, '')}</div>
</div>`;
}

const CSS = `
.titlebar{height:52px;background:${COLOURS.surface};border-bottom:1px solid ${COLOURS.border};display:flex;align-items:center;padding:0 20px;gap:28px}
.titlebar .name{font-size:16px;font-weight:600}
.tabs{display:flex;gap:22px;color:${COLOURS.secondary}}
.tabs .on{color:${COLOURS.text};font-weight:600;border-bottom:2px solid ${COLOURS.accent};padding-bottom:13px;margin-bottom:-15px}
.actions{margin-left:auto;display:flex;gap:8px}
.button{padding:5px 14px;border-radius:2px;border:1px solid #8a8886;background:${COLOURS.surface}}
.button.primary{background:${COLOURS.accent};border-color:${COLOURS.accent};color:#fff;font-weight:600}
.main{display:flex;align-items:stretch;min-height:720px}
.tasks{width:380px;flex:none;background:${COLOURS.surface};border-right:1px solid ${COLOURS.border};padding:12px 0}
.row{display:flex;align-items:center;gap:12px;padding:10px 20px}
.row .sub{font-size:12px;color:${COLOURS.secondary};line-height:16px}
.row.job{border-top:1px solid ${COLOURS.border};border-bottom:1px solid ${COLOURS.border};background:#faf9f8}
.row.task{background:${COLOURS.selected};border-left:3px solid ${COLOURS.accent};padding-left:37px}
.row .plus{margin-left:auto;width:24px;height:24px;border-radius:2px;border:1px solid #c8c6c4;display:flex;align-items:center;justify-content:center;font-size:18px;color:${COLOURS.secondary};background:#fff}
.row img{width:32px;height:32px}
.stage{font-weight:600}
.panel{flex:1;background:${COLOURS.surface};margin:0}
.panel-header{display:flex;align-items:center;padding:18px 28px 12px;border-bottom:1px solid ${COLOURS.border}}
.title{font-size:18px;font-weight:600;display:flex;align-items:center;gap:8px}
.version{margin-left:auto;display:flex;align-items:center;gap:10px}
.muted{color:${COLOURS.secondary}}
.panel-body{padding:8px 28px 28px}
.input{position:relative;padding:8px 0 10px;max-width:720px}
.label{display:flex;align-items:center;gap:4px;font-weight:600;margin-bottom:6px}
.help{position:relative;display:inline-flex;margin-left:4px}
.required{color:#a4262c;font-weight:600}
.manage{margin-left:auto;font-weight:400;color:${COLOURS.accent};display:flex;align-items:center;gap:4px}
.control{display:flex;align-items:center;gap:8px}
.field{flex:1;height:32px;border:1px solid #8a8886;border-radius:2px;padding:5px 10px;background:#fff;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.field.select{display:flex;align-items:center;justify-content:space-between;gap:8px}
.field.small{flex:none;width:90px;height:28px;padding:3px 8px}
.field.multi{height:64px;white-space:pre-wrap}
.checkbox{display:flex;align-items:center;gap:8px}
.box{width:18px;height:18px;border:1px solid #605e5c;border-radius:2px;display:flex;align-items:center;justify-content:center}
.box.on{background:${COLOURS.accent};border-color:${COLOURS.accent}}
.radios{display:flex;gap:20px}
.radio{display:flex;align-items:center;gap:8px}
.dot{width:18px;height:18px;border:1px solid #605e5c;border-radius:50%}
.dot.on{border:5px solid ${COLOURS.accent}}
.group{border-top:1px solid ${COLOURS.border};margin-top:14px}
.group-header{display:flex;align-items:center;gap:10px;padding:14px 0 6px;font-size:15px;font-weight:600}
.group-body{padding-left:0}
.callout{position:absolute;z-index:2;left:28px;top:-14px;font-weight:400;width:560px;padding:12px 16px;background:#fff;border-radius:2px;box-shadow:0 6.4px 14.4px rgba(0,0,0,.18),0 1.2px 3.6px rgba(0,0,0,.12);font-size:13px;line-height:19px}
.callout::before{content:"";position:absolute;top:15px;left:-6px;width:12px;height:12px;background:#fff;transform:rotate(45deg);box-shadow:-2px 2px 3px rgba(0,0,0,.06)}
.callout code{background:#f3f2f1;padding:0 3px;border-radius:2px;white-space:nowrap}
`;

/** The editor page: the pipeline's frame, the task list with this task selected, and its form. */
export function renderClassicEditor(task: EditorTask, example: EditorExample): string {
  const values = formValues(task, example.values);
  const body = `${topBar(['contoso', 'Web', 'Pipelines', 'Releases', example.pipeline])}
<div class="titlebar"><span class="name">${escapeHtml(example.pipeline)}</span><div class="tabs"><span>Pipeline</span><span class="on">Tasks</span><span>Variables</span><span>Retention</span><span>Options</span><span>History</span></div><div class="actions"><span class="button">Save</span><span class="button primary">Create release</span></div></div>
<div class="main"><div class="tasks">
<div class="row"><div><div class="stage">${escapeHtml(example.stage)}</div><div class="sub">Deployment process</div></div></div>
<div class="row job"><div><div>Agent job</div><div class="sub">Run on agent</div></div><span class="plus">+</span></div>
<div class="row task"><img src="${escapeHtml(example.iconDataUrl)}" alt=""><div><div>${escapeHtml(displayName(task, values))}</div><div class="sub">${escapeHtml(task.friendlyName)}</div></div></div>
</div>${renderTaskForm(task, example)}</div>`;
  return page(`${task.friendlyName} in the classic editor`, 1280, CSS, body);
}
