/**
 * A job's log as the Azure Pipelines web view shows it: the job's steps on the left, each step's
 * log on the right with line numbers, and the agent's `##[section]`, `##[warning]`, `##[error]`,
 * `##[command]` and `##[debug]` prefixes shown as colours instead of text (Microsoft, "Logging
 * commands", formatting commands: https://learn.microsoft.com/azure/devops/pipelines/scripts/logging-commands#formatting-commands).
 */
import { COLOURS, escapeHtml, MONO_FONT, page, topBar } from './html';

export type StepResult = 'Succeeded' | 'SucceededWithIssues' | 'Failed' | 'Canceled' | 'Skipped';

export interface LogStep {
  name: string;
  result: StepResult;
  /** The step's log as the agent shows it (masked, one entry per line). */
  lines: string[];
  durationMs?: number;
  /** What the step runs, shown beside its name, e.g. a script. */
  note?: string;
}

export interface JobLog {
  pipeline: string;
  runName: string;
  jobName: string;
  steps: LogStep[];
}

/** What the agent prints itself before a task's output: the task's identity from task.json. */
export interface TaskIdentity {
  friendlyName: string;
  description: string;
  version: { Major: number; Minor: number; Patch: number };
  author: string;
  helpUrl?: string;
}

const RULE = '='.repeat(78);

/**
 * A task step's log: the agent's `Starting:` line and the task's identity block (azure-pipelines-
 * agent, src/Agent.Worker/TaskRunner.cs, PrintTaskMetaData), the task's own output without debug
 * lines (shown only when System.Debug is true), and the `Finishing:` line.
 */
export function taskStepLines(task: TaskIdentity, stepName: string, output: string[]): string[] {
  const { Major, Minor, Patch } = task.version;
  return [
    `##[section]Starting: ${stepName}`,
    RULE,
    `Task         : ${task.friendlyName}`,
    `Description  : ${task.description}`,
    `Version      : ${Major}.${Minor}.${Patch}`,
    `Author       : ${task.author}`,
    `Help         : ${task.helpUrl ?? ''}`,
    RULE,
    ...output.filter((line) => !line.startsWith('##[debug]')),
    `##[section]Finishing: ${stepName}`,
  ];
}

const PREFIXES = ['section', 'warning', 'error', 'command', 'debug', 'group', 'endgroup'] as const;

/** A log line's text and the formatting command it starts with, if any. */
export function classifyLine(line: string): { kind: string; text: string } {
  for (const kind of PREFIXES) {
    const prefix = `##[${kind}]`;
    if (line.startsWith(prefix)) return { kind, text: line.slice(prefix.length) };
  }
  return { kind: 'plain', text: line };
}

function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? '<1s' : `${Math.round(ms / 1000)}s`;
}

const ICONS: Record<StepResult, string> = {
  Succeeded: `<svg width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8" fill="${COLOURS.success}"/><path d="M4.5 8.3l2.2 2.2 4.8-4.8" fill="none" stroke="#fff" stroke-width="1.6"/></svg>`,
  SucceededWithIssues: `<svg width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8" fill="${COLOURS.warning}"/><path d="M8 4v5M8 11v1.5" stroke="#fff" stroke-width="1.8"/></svg>`,
  Failed: `<svg width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8" fill="${COLOURS.error}"/><path d="M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6" stroke="#fff" stroke-width="1.6"/></svg>`,
  Canceled: `<svg width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8" fill="#8a8886"/></svg>`,
  Skipped: `<svg width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="none" stroke="#8a8886" stroke-width="1.5"/></svg>`,
};

function stepLog(step: LogStep, firstLine: number): string {
  const lines = step.lines
    .map((line, i) => {
      const { kind, text } = classifyLine(line);
      return `<div class="line ${kind}"><span class="n">${firstLine + i}</span><span class="t">${escapeHtml(text) || '&nbsp;'}</span></div>`;
    })
    .join('');
  return `<div class="step"><div class="step-header">${ICONS[step.result]}<span>${escapeHtml(step.name)}</span>${step.note ? `<code class="note">${escapeHtml(step.note)}</code>` : ''}<span class="time">${duration(step.durationMs)}</span></div><div class="log">${lines}</div></div>`;
}

const CSS = `
.main{display:flex;align-items:stretch}
.jobs{width:320px;flex:none;background:${COLOURS.surface};border-right:1px solid ${COLOURS.border};padding:14px 0}
.jobs .head{padding:4px 20px 12px;font-size:16px;font-weight:600}
.jobs .job{display:flex;align-items:center;gap:10px;padding:8px 20px;font-weight:600;background:${COLOURS.selected}}
.jobs .item{display:flex;align-items:center;gap:10px;padding:8px 20px 8px 46px}
.jobs .time{margin-left:auto;color:${COLOURS.secondary};font-weight:400;font-size:12px}
.logs{flex:1;min-width:0;padding:16px 20px 24px;display:flex;flex-direction:column;gap:16px}
.step{background:#1e1e1e;border-radius:4px;overflow:hidden;box-shadow:0 1.6px 3.6px rgba(0,0,0,.13)}
.step-header{display:flex;align-items:center;gap:10px;padding:10px 16px;background:${COLOURS.surface};font-size:15px;font-weight:600;border-bottom:1px solid ${COLOURS.border}}
.step-header .note{font-weight:400;color:${COLOURS.secondary};background:#f3f2f1;padding:1px 6px;border-radius:2px}
.step-header .time{margin-left:auto;color:${COLOURS.secondary};font-weight:400;font-size:13px}
.log{padding:8px 0 10px;font-family:${MONO_FONT};font-size:12.5px;line-height:19px;color:#d4d4d4}
.line{display:flex}
.line .n{flex:none;width:46px;padding-right:14px;text-align:right;color:#858585;user-select:none}
.line .t{flex:1;min-width:0;white-space:pre-wrap;overflow-wrap:anywhere;padding-right:16px}
.line.section .t{color:#4ec94e}
.line.warning .t{color:#e5c07b}
.line.error .t{color:#f48771}
.line.command .t{color:#6cb6ff}
.line.debug .t{color:#c586c0}
`;

/** The log view of a job, every step's log shown one under the other. */
export function renderAgentLog(job: JobLog): string {
  const items = job.steps
    .map(
      (step) =>
        `<div class="item">${ICONS[step.result]}<span>${escapeHtml(step.name)}</span><span class="time">${duration(step.durationMs)}</span></div>`,
    )
    .join('');
  const worst = job.steps.some((s) => s.result === 'Failed')
    ? 'Failed'
    : job.steps.some((s) => s.result === 'SucceededWithIssues')
      ? 'SucceededWithIssues'
      : 'Succeeded';
  const body = `${topBar(['contoso', 'Web', 'Pipelines', job.pipeline, job.runName])}
<div class="main"><div class="jobs"><div class="head">Jobs in run ${escapeHtml(job.runName)}</div><div class="job">${ICONS[worst]}<span>${escapeHtml(job.jobName)}</span></div>${items}</div>
<div class="logs">${job.steps.map((step) => stepLog(step, 1)).join('')}</div></div>`;
  return page(`${job.jobName} log`, 1280, CSS, body);
}
