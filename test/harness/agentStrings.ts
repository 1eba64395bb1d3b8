/**
 * Messages the agent writes, verbatim from microsoft/azure-pipelines-agent
 * `src/Misc/layoutbin/en-US/strings.json` and `TaskCommandExtension.cs`, so harness assertions
 * match what a real job log shows.
 */

const DOC_LINK = 'Please reference documentation (http://go.microsoft.com/fwlink/?LinkId=817296)';

export const AgentStrings = {
  commandKeywordDetected: (line: string): string =>
    `'${line}' contains logging command keyword '##vso', but it's not a legal command. ` +
    'Please see the list of accepted commands: https://go.microsoft.com/fwlink/?LinkId=817296',
  commandNotFound: (area: string): string =>
    `Cannot find command extension for ##vso[${area}.command]. ${DOC_LINK}`,
  commandNotFound2: (area: string, event: string): string =>
    `##vso[${area.toLowerCase()}.${event}] is not a recognized command for ${area} command extension. ${DOC_LINK}.`,
  commandProcessFailed: (line: string): string =>
    `Unable to process command '${line}' successfully. ${DOC_LINK}`,
  missingVariableName: "Required field 'variable' is missing in ##vso[task.setvariable] command.",
  missingTaskVariableName:
    "Required field 'variable' is missing in ##vso[task.settaskvariable] command.",
  multilineSecret: 'Secrets cannot contain multiple lines',
  invalidCommandResult: "Command doesn't have valid result value.",
  cannotCreateTaskIssue: "Can't create TaskIssue from logging event.",
  unexpectedIssueType: (type: string): string =>
    `issue type ${type} is not an expected issue type.`,
  cannotUploadSummary: 'Cannot upload summary file, summary file location is not specified.',
  cannotUploadFile: 'Cannot upload file because file location is not specified.',
  missingAttachmentFile:
    'Cannot upload task attachment file, attachment file location is not specified or attachment file does not exist on disk.',
  missingAttachmentName: "Can't add task attachment, attachment name is not provided.",
  missingAttachmentType: "Can't add task attachment, attachment type is not provided.",
  readOnlyVariableWarning: (name: string): string =>
    `Overwriting readonly variable '${name}'. This behavior will be disabled in the future. ` +
    'See https://github.com/microsoft/azure-pipelines-yaml/blob/master/design/readonly-variables.md for details.',
  processExitCode: (code: number | null, fileName: string, args: string): string =>
    `Exit code ${code ?? -1} returned from process: file name '${fileName}', arguments '${args}'.`,
  stepTimedOut: 'The task has timed out.',
} as const;
