import { createRequire } from 'node:module';
import { rawRunAsPreJob, runsInStage, skipMessage } from './stage';

/**
 * The prejobexecution target (dist/prejob.js): a few lines bundled on their own, so a pipeline
 * that does not ask for RunAsPreJob pays a bare Node start here, not the parse of the main bundle.
 * main.js is loaded at run time from beside this file (one bundle for both stages, not two).
 */
if (runsInStage('prejob', rawRunAsPreJob(process.env))) {
  const load = createRequire(__filename);
  void (load('./main.js') as { runStage(stage: 'prejob'): Promise<void> }).runStage('prejob');
} else {
  console.log(skipMessage('prejob'));
}
