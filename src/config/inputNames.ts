/**
 * Every input name the task reads, in one place. `test/contract` checks that this set equals the
 * inputs declared in `tasks/KeyVaultSecrets/task.json`. The first four are `AzureKeyVault@2`'s.
 */
export const INPUT_NAMES = {
  connectedServiceName: 'ConnectedServiceName',
  keyVaultName: 'KeyVaultName',
  secretsFilter: 'SecretsFilter',
  runAsPreJob: 'RunAsPreJob',
  concurrency: 'Concurrency',
  requestTimeoutSeconds: 'RequestTimeoutSeconds',
  timeoutSeconds: 'TimeoutSeconds',
  variablePrefix: 'VariablePrefix',
  variableNameFormat: 'VariableNameFormat',
  tagFilter: 'TagFilter',
  outputVariables: 'OutputVariables',
  expiredSecrets: 'ExpiredSecrets',
  expiryWarningDays: 'ExpiryWarningDays',
  rotationWarningDays: 'RotationWarningDays',
  dryRun: 'DryRun',
  certificateFormat: 'CertificateFormat',
  certificatePassword: 'CertificatePassword',
} as const;

export type InputName = (typeof INPUT_NAMES)[keyof typeof INPUT_NAMES];
