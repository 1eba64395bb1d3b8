// Shared helpers for the metadata contract tests: where things are, and typed views of the manifests.
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const TASK_DIR = 'tasks/KeyVaultSecrets';

export interface TaskInput {
  name: string;
  type: string;
  label: string;
  aliases?: string[];
  defaultValue?: string | boolean;
  required?: boolean;
  properties?: Record<string, string>;
}

export interface TaskHandler {
  target: string;
  argumentFormat?: string;
}

export interface TaskJson {
  id: string;
  name: string;
  friendlyName: string;
  version: { Major: number; Minor: number; Patch: number };
  minimumAgentVersion: string;
  helpUrl?: string;
  instanceNameFormat: string;
  inputs: TaskInput[];
  dataSourceBindings?: { target: string; endpointId: string; dataSourceName: string }[];
  execution: Record<string, TaskHandler>;
  prejobexecution?: Record<string, TaskHandler>;
  postjobexecution?: Record<string, TaskHandler>;
  outputVariables?: unknown;
  restrictions?: { settableVariables?: unknown };
  messages?: Record<string, string>;
}

export interface ExtensionJson {
  manifestVersion: number;
  id: string;
  publisher: string;
  version: string;
  name: string;
  categories: string[];
  targets: { id: string }[];
  icons: Record<string, string>;
  public?: boolean;
  galleryFlags?: string[];
  tags: string[];
  branding: { color: string; theme: string };
  links: Record<string, { uri: string }>;
  repository: { type: string; uri: string };
  screenshots: { path: string }[];
  content: Record<string, { path: string; contentType?: string }>;
  files: { path: string; addressable?: boolean }[];
  contributions: {
    id: string;
    type: string;
    targets: string[];
    properties: { name: string };
  }[];
}

export function readJson<T>(rel: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, rel), 'utf8')) as T;
}

export const readTaskJson = (): TaskJson => readJson<TaskJson>(`${TASK_DIR}/task.json`);
export const readExtensionJson = (): ExtensionJson => readJson<ExtensionJson>('vss-extension.json');

/**
 * The absolute path of a file `npm run build` writes, or a clear error when it is missing: these
 * tests check build output, and `npm test` builds first, but a bare `mocha` run may not have.
 */
export function builtFile(rel: string): string {
  const file = path.join(repoRoot, rel);
  if (!fs.existsSync(file)) {
    throw new Error(`${rel} does not exist: run \`npm run build\` before these tests.`);
  }
  return file;
}

/** Width and height from a PNG's IHDR chunk; throws if the file is not a PNG. */
export function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error(`${file} is not a PNG file.`);
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
