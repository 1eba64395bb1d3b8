/**
 * `npm run screenshots`: renders the Marketplace pictures from what the task really declares and
 * prints, so they stay true as the task changes. For contributors (it needs Chromium), not CI.
 *
 * - images/screenshot-classic-editor.png: the classic editor form built from task.json, for an
 *   example configuration (visible rules applied, one help callout open).
 * - images/screenshot-log.png: the bundled task run end to end against the local emulator the
 *   way `npm start` runs it, its job log as the agent shows it, and the log of a later step that
 *   echoes every variable set, masked by the agent's masker as the run left it.
 * - images/screenshot-summary.png: the Markdown the same run attached with task.uploadsummary, as
 *   the run's Extensions tab shows it. A run that attaches none keeps the existing picture.
 *
 * Usage: npm run screenshots (builds first). CHROMIUM=/path/to/browser picks the browser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderAgentLog, taskStepLines, type TaskIdentity } from './screenshots/agentLog';
import { renderClassicEditor, type EditorTask } from './screenshots/classicEditor';
import { findChromium, screenshot } from './screenshots/chromium';
import { renderRunSummary } from './screenshots/runSummary';
import { displayName, formValues } from './screenshots/classicEditor';
import { laterStepMasker, laterStepVariables, startDemoScenario } from './demoScenario';
import type { HarnessRun } from '../test/harness';

const repoRoot = path.resolve(__dirname, '..');
const TASK_DIR = path.join(repoRoot, 'tasks', 'KeyVaultSecrets');
const PIPELINE = 'Deploy web app';
const RUN_NAME = '20261201.3';

/** The pictures as vss-extension.json and overview.md name them. */
export const PICTURES = {
  classicEditor: 'images/screenshot-classic-editor.png',
  log: 'images/screenshot-log.png',
  summary: 'images/screenshot-summary.png',
};

/** The example the pictures show: what a user would enter for the demo vault. */
const EXAMPLE_INPUTS: Record<string, string> = {
  KeyVaultName: 'contoso-kv',
  SecretsFilter: '*',
};
const CONNECTION_NAME = 'contoso-production (Azure Resource Manager)';

type TaskJson = EditorTask & TaskIdentity;

function write(file: string, html: string, chromium: string): void {
  screenshot(chromium, html, path.join(repoRoot, file));
  const bytes = fs.statSync(path.join(repoRoot, file)).size;
  console.log(`${file}  ${Math.round(bytes / 1024)} KB`);
}

/** The run's attached summary as [file name, Markdown], read from the files it left. */
function attachedSummary(run: HarnessRun): [string, string] | undefined {
  const file = run.summaries[0];
  if (file === undefined) return undefined;
  const contents = run.fileContents.get(path.relative(run.tempDir, file));
  return contents === undefined ? undefined : [path.basename(file), contents.toString('utf8')];
}

async function main(): Promise<void> {
  const chromium = findChromium();
  const task = JSON.parse(fs.readFileSync(path.join(TASK_DIR, 'task.json'), 'utf8')) as TaskJson;
  const icon = fs.readFileSync(path.join(TASK_DIR, 'icon.png')).toString('base64');

  const scenario = await startDemoScenario();
  let run: HarnessRun;
  try {
    run = await scenario.run({ inputs: EXAMPLE_INPUTS });
  } finally {
    // Hunts the run's output for every seeded value and token before anything is drawn.
    await scenario.close();
  }
  if (run.result !== 'Succeeded' && run.result !== 'SucceededWithIssues') {
    throw new Error(`The example run ended ${run.result}:\n${run.log.join('\n')}`);
  }

  write(
    PICTURES.classicEditor,
    renderClassicEditor(task, {
      values: { ...EXAMPLE_INPUTS, ConnectedServiceName: scenario.connection.id },
      shown: { ConnectedServiceName: CONNECTION_NAME },
      openHelp: 'SecretsFilter',
      pipeline: PIPELINE,
      stage: 'Production',
      iconDataUrl: `data:image/png;base64,${icon}`,
    }),
    chromium,
  );

  const stepName = displayName(task, formValues(task, EXAMPLE_INPUTS));
  const mask = laterStepMasker(run);
  const echoStep = 'Use the secrets';
  const echoed = laterStepVariables(run).flatMap(([name, value]) =>
    `${name}=${value}`.split(/\r?\n/).map(mask),
  );
  write(
    PICTURES.log,
    renderAgentLog({
      pipeline: PIPELINE,
      runName: RUN_NAME,
      jobName: 'Agent job',
      steps: [
        {
          name: stepName,
          result: run.result,
          durationMs: run.durationMs,
          lines: taskStepLines(task, stepName, run.log),
        },
        {
          name: echoStep,
          note: 'echo "<name>=$(<name>)" for each variable set',
          result: 'Succeeded',
          lines: [
            `##[section]Starting: ${echoStep}`,
            ...echoed,
            `##[section]Finishing: ${echoStep}`,
          ],
        },
      ],
    }),
    chromium,
  );

  const summary = attachedSummary(run);
  if (summary === undefined) {
    console.log(
      `${PICTURES.summary}  kept: the run attached no summary (task.uploadsummary), so there is nothing to render.`,
    );
  } else {
    const [fileName, markdown] = summary;
    write(
      PICTURES.summary,
      renderRunSummary({
        pipeline: PIPELINE,
        runName: RUN_NAME,
        fileName,
        markdown,
        maxHeight: 760,
      }),
      chromium,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
