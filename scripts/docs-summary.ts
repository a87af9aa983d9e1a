/**
 * npm run docs:summary: runs the bundled action against the simulated SAE (the demo's releases), renders the job
 * summary it wrote (GitHub-flavoured Markdown, Mermaid included) to HTML and screenshots it in headless Chromium
 * (Debian's `chromium`, driven by playwright-core), into a temporary folder, or with --update into
 * docs/summary-<scenario>.png (the pictures the README shows).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { marked } from 'marked';
import { chromium } from 'playwright-core';
import { FakeCloud } from '../__fixtures__/cloud.js';
import { ROOT, startAction } from '../__fixtures__/action.js';
import { readCli, usageExit } from './cli.js';
import { addDemoOrder, DEMO, DEMO_GITHUB_ENV, demoTarget, SCENARIOS } from './scenarios.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The summary's headline and facts carry emoji; without a colour emoji font Chromium draws empty boxes. */
const EMOJI_FONT = 'Noto Color Emoji';
const PACKAGES = 'chromium fonts-noto-color-emoji';
const USAGE = `Usage: npm run docs:summary [-- [--update] [SCENARIO...]]

Screenshots the job summary of the demo's releases (default: success rollback; scenarios: ${Object.keys(SCENARIOS).join(', ')}).
Writes the pictures to a new temporary folder, or with --update to docs/summary-<scenario>.png, which the README shows.
Needs Debian's packages ${PACKAGES} (sudo apt-get install -y ${PACKAGES}); CHROMIUM_PATH names another Chromium.
`;
const { values, positionals } = readCli(USAGE, { update: { type: 'boolean' } }, { maxPositionals: 3 });
for (const p of positionals) if (!SCENARIOS[p]) usageExit(`Unknown scenario "${p}"`, USAGE);
if (!existsSync(CHROMIUM))
  usageExit(`No Chromium at ${CHROMIUM}: install it (sudo apt-get install -y ${PACKAGES}) or set CHROMIUM_PATH`, USAGE);
const hasEmojiFont = (() => {
  try {
    return execFileSync('fc-list', [':family'], { encoding: 'utf8' }).includes(EMOJI_FONT);
  } catch {
    return false;
  }
})();
if (!hasEmojiFont)
  console.warn(
    `The font "${EMOJI_FONT}" is not installed, so emoji will be drawn as boxes: sudo apt-get install -y fonts-noto-color-emoji`,
  );
const outDir = values.update ? resolve(ROOT, 'docs') : mkdtempSync(resolve(tmpdir(), 'docs-summary-'));
const require = createRequire(import.meta.url);
const mermaidJs = require.resolve('mermaid/dist/mermaid.min.js');

/** Close to GitHub's light theme, enough to judge how the summary reads. */
const CSS = `
body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328; background: #fff; margin: 0; }
main { width: 920px; padding: 24px 32px; border: 1px solid #d1d9e0; border-radius: 6px; margin: 16px; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin-top: 0; }
h3 { font-size: 1.25em; margin: 24px 0 12px; } h4 { font-size: 1em; }
table { border-collapse: collapse; margin: 0 0 16px; display: block; width: max-content; max-width: 100%; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } tr:nth-child(2n) { background: #f6f8fa; } th { font-weight: 600; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 85%; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 16px; border-radius: 6px; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 85%; }
blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
a { color: #0969da; text-decoration: none; } pre.mermaid { background: #fff; }
`;

async function summaryOf(scenario: string): Promise<string> {
  const cloud = await FakeCloud.start({ accessKeys: { [DEMO.keyId]: DEMO.secret } });
  addDemoOrder(cloud, scenario);
  const run = await startAction({
    dir: resolve(ROOT, '.demo', scenario),
    env: DEMO_GITHUB_ENV,
    inputs: {
      ...demoTarget(scenario),
      'region-id': 'cn-hangzhou',
      endpoint: cloud.url,
      'access-key-id': DEMO.keyId,
      'access-key-secret': DEMO.secret,
      'poll-interval': '1s',
      timeout: '2m',
    },
  }).done;
  await cloud.close();
  return run.summary;
}

function toHtml(markdown: string): string {
  const renderer = new marked.Renderer();
  const code = renderer.code.bind(renderer);
  renderer.code = (token) => (token.lang === 'mermaid' ? `<pre class="mermaid">${token.text}</pre>` : code(token));
  const body = marked.parse(markdown, { gfm: true, async: false, renderer });
  return `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body><main>${body}</main></body></html>`;
}

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  for (const scenario of positionals.length ? positionals : ['success', 'rollback']) {
    const html = toHtml(await summaryOf(scenario));
    const htmlPath = resolve(ROOT, '.demo', `summary-${scenario}.html`);
    writeFileSync(htmlPath, html);
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 1 });
    await page.setContent(readFileSync(htmlPath, 'utf8'));
    await page.addScriptTag({ path: mermaidJs });
    await page.evaluate(async () => {
      const m = (globalThis as unknown as { mermaid: { initialize(o: object): void; run(): Promise<void> } }).mermaid;
      m.initialize({ startOnLoad: false, theme: 'default', gantt: { useWidth: 880 } });
      await m.run();
    });
    const out = resolve(outDir, `summary-${scenario}.png`);
    await (await page.$('main'))!.screenshot({ path: out });
    console.log(`Wrote ${out}`);
    await page.close();
  }
} finally {
  await browser.close();
}
if (!values.update) console.log('docs/ is unchanged: npm run docs:summary -- --update replaces its pictures.');
