/** The cases `npm run bench` measures, as data. */

export interface BenchCase {
  id: string;
  title: string;
  /** Which handler target runs: dist/main.js or the dist/prejob.js shim. */
  stage: 'execution' | 'prejob';
  /** Secret values the run fetches (0: the skipped pre-job stage). */
  secrets: number;
  /** `named`: SecretsFilter lists the names; `all`: SecretsFilter `*` over a vault of `secrets`. */
  filter: 'named' | 'all';
  /** Latency for this case instead of `--latency` (cold start runs without). */
  latencyMs?: number;
  /** Runs when `--runs` is not given; the reported wall time is their median. */
  defaultRuns: number;
  /** Each run gets a fresh vault of `secrets` secrets under this limit (a sliding window carries
   *  over between runs, so a shared vault would start the next run throttled). */
  throttle?: { limit: number; windowMs: number; retryAfter: boolean };
  /** The agent's environment also carries HTTPS_PROXY / HTTP_PROXY (the agent proxy's URL, as
   *  many self-hosted agents have it) and a NO_PROXY that names none of the hosts. */
  proxyVariables?: boolean;
}

/** Cases without `throttle` share one vault holding this many secrets. */
export const SHARED_VAULT_SECRETS = 1000;

/** Key Vault's documented limit for secret GETs and lists: 4,000 per 10 s per vault. */
const KEY_VAULT_LIMIT = { limit: 4000, windowMs: 10_000 };

export const BENCH_CASES: readonly BenchCase[] = [
  {
    id: 'cold-start',
    title: 'Cold start: 1 named secret, no latency',
    stage: 'execution',
    secrets: 1,
    filter: 'named',
    latencyMs: 0,
    defaultRuns: 5,
  },
  {
    id: 'prejob-skipped',
    title: 'Pre-job stage skipped (prejob.js, RunAsPreJob false)',
    stage: 'prejob',
    secrets: 0,
    filter: 'named',
    defaultRuns: 5,
  },
  {
    id: 'named-100',
    title: '100 named secrets',
    stage: 'execution',
    secrets: 100,
    filter: 'named',
    defaultRuns: 5,
  },
  {
    id: 'named-1000',
    title: '1,000 named secrets',
    stage: 'execution',
    secrets: 1000,
    filter: 'named',
    defaultRuns: 3,
  },
  {
    id: 'named-1000-proxy-env',
    title: '1,000 named secrets, HTTPS_PROXY/HTTP_PROXY in env',
    stage: 'execution',
    secrets: 1000,
    filter: 'named',
    defaultRuns: 3,
    proxyVariables: true,
  },
  {
    id: 'all-1000',
    title: "'*' over 1,000 secrets",
    stage: 'execution',
    secrets: 1000,
    filter: 'all',
    defaultRuns: 3,
  },
  {
    id: 'all-1000-proxy-env',
    title: "'*' over 1,000 secrets, HTTPS_PROXY/HTTP_PROXY in env",
    stage: 'execution',
    secrets: 1000,
    filter: 'all',
    defaultRuns: 3,
    proxyVariables: true,
  },
  {
    id: 'all-5000-throttled-retry-after',
    title: "'*' over 5,000, throttled 4,000/10 s, with Retry-After",
    stage: 'execution',
    secrets: 5000,
    filter: 'all',
    defaultRuns: 1,
    throttle: { ...KEY_VAULT_LIMIT, retryAfter: true },
  },
  {
    id: 'all-5000-throttled-no-retry-after',
    title: "'*' over 5,000, throttled 4,000/10 s, no Retry-After",
    stage: 'execution',
    secrets: 5000,
    filter: 'all',
    defaultRuns: 1,
    throttle: { ...KEY_VAULT_LIMIT, retryAfter: false },
  },
];

/** `secret-0001` …: fixed width, so listing order is numeric order. */
export function secretName(index: number): string {
  return `secret-${String(index).padStart(4, '0')}`;
}

/** The SecretsFilter input of a case. */
export function secretsFilter(benchCase: BenchCase): string {
  if (benchCase.filter === 'all') return '*';
  return Array.from({ length: Math.max(1, benchCase.secrets) }, (_, i) => secretName(i + 1)).join(
    ',',
  );
}
