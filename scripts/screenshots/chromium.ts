/**
 * Renders a page to a PNG with headless Chromium, sized to the page's content: one run prints the
 * DOM to read the size the page recorded (html.ts), a second takes the screenshot at that size.
 * Every run gets a fresh profile and no network (the pages are self-contained files).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The browser to use: CHROMIUM if set, else the first of CANDIDATES on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM) {
    if (!fs.existsSync(env.CHROMIUM)) throw new Error(`CHROMIUM=${env.CHROMIUM} does not exist.`);
    return env.CHROMIUM;
  }
  for (const name of CANDIDATES) {
    for (const dir of (env.PATH ?? '').split(path.delimiter)) {
      const file = path.join(dir, name);
      if (dir && fs.existsSync(file)) return file;
    }
  }
  throw new Error(
    'No Chromium found (looked for chromium, chromium-browser, google-chrome on PATH). Install it, e.g. `sudo apt-get install chromium fonts-open-sans fonts-dejavu-core fonts-noto-color-emoji` on Debian or Ubuntu, or set CHROMIUM to the browser binary.',
  );
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  '--force-device-scale-factor=1',
];

function runChromium(chromium: string, args: string[]): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-chromium-'));
  try {
    const result = spawnSync(chromium, [...FLAGS, `--user-data-dir=${profile}`, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw new Error(`${chromium} could not run: ${result.error.message}`);
    if (result.status !== 0) {
      throw new Error(`${chromium} exited with ${result.status}:\n${result.stderr.slice(-2000)}`);
    }
    return result.stdout;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** Writes `html` as a PNG of the size the page records for itself to `file`. */
export function screenshot(chromium: string, html: string, file: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-screenshot-'));
  try {
    const pageFile = path.join(dir, 'page.html');
    fs.writeFileSync(pageFile, html);
    const url = `file://${pageFile}`;
    const dom = runChromium(chromium, ['--window-size=1280,800', '--dump-dom', url]);
    const size = /data-size="(\d+)x(\d+)"/.exec(dom);
    if (!size) throw new Error(`${url} did not record its size (data-size on <body>).`);
    const [width, height] = [Number(size[1]), Number(size[2])];
    const png = path.join(dir, 'page.png');
    runChromium(chromium, [`--window-size=${width},${height}`, `--screenshot=${png}`, url]);
    fs.copyFileSync(png, file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
