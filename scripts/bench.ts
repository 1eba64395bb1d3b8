/**
 * `npm run bench`: runs the built task as the agent does (test/harness, through the emulator's
 * CONNECT proxy, as the end-to-end tests do) against the local Azure emulator with an injected
 * latency, and prints, per case, the task process's wall time, the requests and connections it
 * made, how many vault requests it had in flight, its peak memory and the floor the network
 * allows; then the bundle and VSIX sizes. Markdown on stdout, then the same as JSON (also written
 * to .tmp/bench-results.json). Progress goes to stderr. Not a test: nothing is asserted.
 *
 *   npm run bench -- [--latency <ms>] [--runs <n>] [--only <case id,…>]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startAzure, type AzureEmulator, type EmulatedVault } from '../test/emulator';
import { runAgentTask } from '../test/harness';
import {
  APP_ID,
  CLIENT_SECRET,
  EXECUTION_TARGET,
  OBJECT_ID,
  PREJOB_TARGET,
  TASK_DIR,
  TENANT,
  servicePrincipalConnection,
} from '../test/e2e/scenario';
import { measureArtifacts, type ArtifactSizes } from './bench/artifacts';
import { parseBenchArgs, type BenchArgs } from './bench/args';
import { BENCH_CASES, SHARED_VAULT_SECRETS, secretName, secretsFilter } from './bench/cases';
import type { BenchCase } from './bench/cases';
import { networkFloor } from './bench/floor';
import { InFlightMeter } from './bench/inFlight';
import { ProcessMeter, detectMeterMode } from './bench/processMeter';
import {
  formatBytes,
  median,
  renderTable,
  summarizeCase,
  type CaseResult,
  type RunRecord,
} from './bench/report';
import { summarizeRequests } from './bench/requestStats';

const repoRoot = path.resolve(__dirname, '..');
const RESULTS_FILE = path.join(repoRoot, '.tmp', 'bench-results.json');
/** Node's built-ins the Azure SDK's HTTP stack loads at once; the skipped stage must load none. */
const NETWORK_BUILTINS = ['NativeModule https', 'NativeModule tls', 'NativeModule http2'];

interface Machine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  memoryGiB: number;
  /** 1-minute load average at the start: other work on the machine skews every figure. */
  loadAverage: number;
}

interface Baseline {
  /** `node -e 0` measured like the task: what any Node step costs before it does anything. */
  bareNodeWallMs: number | undefined;
  bareNodePeakRssBytes: number | undefined;
  /** Network built-ins each stage loaded (from process.moduleLoadList; undefined: not checked). */
  prejobNetworkBuiltins: string[] | undefined;
  executionNetworkBuiltins: string[] | undefined;
}

function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** The task's default `Concurrency` input, as the agent would pass it. */
function defaultConcurrency(): number {
  const task = JSON.parse(fs.readFileSync(path.join(TASK_DIR, 'task.json'), 'utf8')) as {
    inputs: Array<{ name: string; defaultValue?: unknown }>;
  };
  const raw = task.inputs.find((input) => input.name === 'Concurrency')?.defaultValue;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`task.json's Concurrency default '${String(raw)}' is not a positive integer.`);
  }
  return value;
}

function seedVault(
  azure: AzureEmulator,
  name: string,
  secrets: number,
  throttle?: BenchCase['throttle'],
): EmulatedVault {
  const vault = azure.addVault({ name, tenantId: TENANT, ...(throttle && { throttle }) });
  vault.grant(APP_ID);
  for (let i = 1; i <= secrets; i++) {
    vault.setSecret(secretName(i), `v${i}-${randomBytes(12).toString('base64url')}`);
  }
  return vault;
}

function countLines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

class Bench {
  private readonly connection = servicePrincipalConnection();
  private readonly sharedVault: EmulatedVault;
  private throttledVaults = 0;

  constructor(
    private readonly azure: AzureEmulator,
    private readonly meter: ProcessMeter,
    private readonly inFlight: InFlightMeter,
    private readonly args: BenchArgs,
    private readonly concurrency: number,
  ) {
    azure.addServicePrincipal({
      tenantId: TENANT,
      appId: APP_ID,
      objectId: OBJECT_ID,
      secrets: [CLIENT_SECRET],
    });
    this.sharedVault = seedVault(azure, 'bench-kv', SHARED_VAULT_SECRETS);
  }

  async runCase(benchCase: BenchCase): Promise<CaseResult> {
    const latencyMs = benchCase.latencyMs ?? this.args.latencyMs;
    const runs = this.args.runs ?? benchCase.defaultRuns;
    this.inFlight.setLatency(latencyMs);
    const records: RunRecord[] = [];
    for (let i = 1; i <= runs; i++) {
      const vault = benchCase.throttle
        ? seedVault(
            this.azure,
            `bench-throttled-${++this.throttledVaults}`,
            benchCase.secrets,
            benchCase.throttle,
          )
        : this.sharedVault;
      const record = await this.runOnce(benchCase, vault, latencyMs);
      progress(
        `  ${benchCase.id} run ${i}/${runs}: ${record.wallMs} ms, ${record.result}, ` +
          `${record.requests.total} requests`,
      );
      records.push(record);
    }
    const floor =
      benchCase.secrets > 0
        ? networkFloor({
            latencyMs,
            concurrency: this.concurrency,
            secrets: benchCase.secrets,
            listed: benchCase.filter === 'all',
            ...(benchCase.throttle && { throttle: benchCase.throttle }),
          })
        : undefined;
    return summarizeCase(
      {
        id: benchCase.id,
        title: benchCase.title,
        latencyMs,
        secrets: benchCase.secrets,
        throttle: benchCase.throttle,
      },
      records,
      floor,
    );
  }

  private async runOnce(
    benchCase: BenchCase,
    vault: EmulatedVault,
    latencyMs: number,
  ): Promise<RunRecord> {
    this.azure.resetLog();
    this.inFlight.reset();
    const metered = this.meter.prepare();
    const cpuBefore = process.cpuUsage();
    const run = await runAgentTask({
      target: benchCase.stage === 'prejob' ? PREJOB_TARGET : EXECUTION_TARGET,
      inputs: {
        ConnectedServiceName: this.connection.id,
        KeyVaultName: vault.name,
        SecretsFilter: secretsFilter(benchCase),
        RunAsPreJob: 'false',
      },
      endpoints: [this.connection],
      proxy: { url: this.azure.proxyUrl },
      caFile: this.azure.caCertFile,
      timeoutMs: benchCase.throttle ? 300_000 : 120_000,
      ...(benchCase.proxyVariables && {
        env: {
          HTTPS_PROXY: this.azure.proxyUrl,
          HTTP_PROXY: this.azure.proxyUrl,
          NO_PROXY: 'localhost,127.0.0.1',
        },
      }),
      ...(metered.nodePath !== undefined && { nodePath: metered.nodePath }),
    });
    const measured = metered.collect();
    const hostCpu = process.cpuUsage(cpuBefore);
    return {
      wallMs: measured.wallMs ?? run.durationMs,
      wallSource: measured.wallMs === undefined ? 'runner' : 'process',
      runnerMs: run.durationMs,
      peakRssBytes: measured.peakRssBytes,
      taskCpuMs: measured.cpuMs,
      hostCpuMs: Math.round((hostCpu.user + hostCpu.system) / 1000),
      result: run.result,
      exitCode: run.exitCode,
      timedOut: run.timedOut,
      outputLines: countLines(run.stdout) + countLines(run.stderr),
      debugLines: run.commands.filter((c) => c.area === 'task' && c.event === 'debug').length,
      secretVariables: [...run.variables.values()].filter((v) => v.secret).length,
      issues: run.issues
        .slice(0, 5)
        .map((issue) => `${issue.type}: ${issue.message.slice(0, 400)}`),
      requests: summarizeRequests(this.azure.requests, this.azure.tunnels),
      peakInFlight: latencyMs > 0 ? this.inFlight.peak : null,
    };
  }

  /**
   * One extra, untimed run of a stage with a preload that lists the built-ins Node loaded by exit
   * (process.moduleLoadList). The SDK's HTTP stack loads https and tls as soon as it is evaluated,
   * so the skipped pre-job stage must load neither; the execution stage shows the check can see them.
   */
  async networkBuiltins(stage: BenchCase['stage'], scratch: string): Promise<string[] | undefined> {
    if (this.meter.mode !== 'gnu-time') return undefined;
    const out = path.join(scratch, `${stage}-modules.json`);
    const preload = path.join(scratch, `${stage}-module-list.cjs`);
    fs.writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));\n`,
    );
    this.azure.resetLog();
    await runAgentTask({
      target: stage === 'prejob' ? PREJOB_TARGET : EXECUTION_TARGET,
      inputs: {
        ConnectedServiceName: this.connection.id,
        KeyVaultName: this.sharedVault.name,
        SecretsFilter: secretName(1),
        RunAsPreJob: 'false',
      },
      endpoints: [this.connection],
      proxy: { url: this.azure.proxyUrl },
      caFile: this.azure.caCertFile,
      nodePath: this.meter.prepare(['--require', preload]).nodePath,
    });
    const loaded = JSON.parse(fs.readFileSync(out, 'utf8')) as string[];
    return NETWORK_BUILTINS.filter((name) => loaded.includes(name)).map((name) =>
      name.replace('NativeModule ', ''),
    );
  }

  /** `node -e 0` through the same meter, five times. */
  bareNode(): { wallMs: number | undefined; peakRssBytes: number | undefined } {
    if (this.meter.mode === 'runner-only') return { wallMs: undefined, peakRssBytes: undefined };
    const walls: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < 5; i++) {
      const metered = this.meter.prepare();
      spawnSync(metered.nodePath ?? process.execPath, ['-e', '0'], { stdio: 'ignore' });
      const measured = metered.collect();
      if (measured.wallMs !== undefined) walls.push(measured.wallMs);
      if (measured.peakRssBytes !== undefined) rss.push(measured.peakRssBytes);
    }
    return {
      wallMs: walls.length > 0 ? median(walls) : undefined,
      peakRssBytes: rss.length > 0 ? median(rss) : undefined,
    };
  }
}

function header(
  host: Machine,
  args: BenchArgs,
  concurrency: number,
  meterMode: string,
  baseline: Baseline,
  artifacts: ArtifactSizes,
): string {
  const bare =
    baseline.bareNodeWallMs === undefined
      ? 'n/a'
      : `${baseline.bareNodeWallMs} ms, ${((baseline.bareNodePeakRssBytes ?? 0) / 2 ** 20).toFixed(1)} MiB`;
  const builtins = (loaded: string[] | undefined): string =>
    loaded === undefined ? 'not checked' : loaded.length === 0 ? 'none' : loaded.join(', ');
  return [
    '# KeyVaultSecrets benchmark',
    '',
    `- Machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, ${host.os}, Node ${host.node}; load average ${host.loadAverage} at the start`,
    `- Latency injected per HTTPS request: ${args.latencyMs} ms (cold start: 0); task concurrency ${concurrency} (task.json default)`,
    `- Wall: ${meterMode === 'gnu-time' ? 'the task process, spawn to exit (GNU time %e, 10 ms steps)' : 'HarnessRun.durationMs (runner: directories, spawn, output parsing, exit)'}; median of the runs. Runner: HarnessRun.durationMs.`,
    `- Bare \`node -e 0\` on this machine: ${bare}`,
    `- Of https, tls and http2, the skipped pre-job stage loaded: ${builtins(baseline.prejobNetworkBuiltins)} (the execution stage: ${builtins(baseline.executionNetworkBuiltins)})`,
    `- Bundle dist/main.js: ${formatBytes(artifacts.bundleBytes)}; VSIX: ${formatBytes(artifacts.vsixBytes)}, ${artifacts.vsixFiles} files`,
  ].join('\n');
}

const NOTES = [
  'Wall ms: median task-process wall time. Requests, connections and peak in flight: the median run.',
  'Tokens: token requests; Challenges: vault 401 challenges; List pages and Value GETs include 429 answers; 429s: throttled answers; Other: any other request (metadata).',
  'Connections: distinct TLS connections (connectionId); Tunnels: CONNECTs the proxy accepted.',
  'Task CPU: user + system time of the task process. Host CPU: this process during the run (emulator, proxy, and the runner parsing and masking every output line); on a 2-core machine it competes with the task for CPU.',
  'Peak in flight: most vault requests the emulator held at once (arrived, not yet answered); n/a without latency, when it answers synchronously.',
  'Floor: (challenge + token + list pages + ceil(n / concurrency)) × latency; throttled: at least ceil(requests / 4000) − 1 windows of 10 s plus the rest at network speed. Listing and fetching are added, not overlapped.',
];

async function main(): Promise<void> {
  const started = Date.now();
  const args = parseBenchArgs(
    process.argv.slice(2),
    BENCH_CASES.map((c) => c.id),
  );
  const host = machine();
  const concurrency = defaultConcurrency();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-bench-'));
  let azure: AzureEmulator | undefined;
  try {
    progress('Packaging the VSIX …');
    const artifacts = measureArtifacts(EXECUTION_TARGET, path.join(scratch, 'vsix'));
    const meter = new ProcessMeter(detectMeterMode(), scratch);
    azure = await startAzure();
    const inFlight = new InFlightMeter(azure);
    const bench = new Bench(azure, meter, inFlight, args, concurrency);
    const bare = bench.bareNode();
    const baseline: Baseline = {
      bareNodeWallMs: bare.wallMs,
      bareNodePeakRssBytes: bare.peakRssBytes,
      prejobNetworkBuiltins: await bench.networkBuiltins('prejob', scratch),
      executionNetworkBuiltins: await bench.networkBuiltins('execution', scratch),
    };

    const results: CaseResult[] = [];
    const cases = BENCH_CASES.filter((c) => args.only.length === 0 || args.only.includes(c.id));
    for (const benchCase of cases) {
      progress(`${benchCase.title} …`);
      results.push(await bench.runCase(benchCase));
    }
    inFlight.dispose();

    const totalSeconds = Math.round((Date.now() - started) / 100) / 10;
    const markdown = [
      header(host, args, concurrency, meter.mode, baseline, artifacts),
      '',
      renderTable(results),
      '',
      ...NOTES.map((note) => `- ${note}`),
      `- Whole benchmark: ${totalSeconds} s.`,
    ].join('\n');
    const json = {
      machine: host,
      settings: { ...args, concurrency, meter: meter.mode },
      baseline,
      artifacts,
      cases: results,
      totalSeconds,
    };
    const text = JSON.stringify(json, null, 2);
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.writeFileSync(RESULTS_FILE, `${text}\n`);
    process.stdout.write(`${markdown}\n\n\`\`\`json\n${text}\n\`\`\`\n`);
    progress(`Wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await azure?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
