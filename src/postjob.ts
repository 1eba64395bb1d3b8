import { createRequire } from 'node:module';
import { rawCleanupRecord } from './cleanup/cleanupRecord';

/**
 * The postjobexecution target (dist/postjob.js): a few lines bundled on their own. The agent runs
 * it at the end of every job that used the task, whatever happened before. When the working stage
 * wrote no files there is no record and this costs a bare Node start; otherwise main.js is loaded
 * from beside this file to remove them. The record is read here, before task-lib loads and takes
 * task variables out of the environment.
 */
const record = rawCleanupRecord(process.env);
if (record !== undefined) {
  const load = createRequire(__filename);
  void (load('./main.js') as { runCleanupStage(record: string): Promise<void> }).runCleanupStage(
    record,
  );
} else {
  console.log('Nothing to remove: the task wrote no files in this job.');
}
