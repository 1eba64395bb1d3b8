import { rawRunAsPreJob, runsInStage, skipMessage } from './stage';

/**
 * The prejobexecution target (dist/prejob.js): a few lines bundled on their own, so a pipeline
 * that does not ask for RunAsPreJob pays a bare Node start here, not the parse of the main bundle.
 * main.js stays a separate file (one bundle for both stages, not two copies of it).
 */
if (runsInStage('prejob', rawRunAsPreJob(process.env))) {
  void (require('./main.js') as { runStage(stage: 'prejob'): Promise<void> }).runStage('prejob');
} else {
  console.log(skipMessage('prejob'));
}
