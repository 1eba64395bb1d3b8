import { strict as assert } from 'node:assert';
import {
  classifyLine,
  renderAgentLog,
  taskStepLines,
  type JobLog,
} from '../../scripts/screenshots/agentLog';
import { findChromium } from '../../scripts/screenshots/chromium';
import {
  displayName,
  isVisible,
  renderClassicEditor,
  renderTaskForm,
  type EditorExample,
  type EditorTask,
} from '../../scripts/screenshots/classicEditor';
import { escapeHtml } from '../../scripts/screenshots/html';
import { inlineMarkdown, markdownToHtml } from '../../scripts/screenshots/markdown';
import { renderRunSummary } from '../../scripts/screenshots/runSummary';

const SCRIPT = '<script>alert(1)</script>';
const SCRIPT_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

/** Freezes an object and everything in it, so a builder that changes its input throws. */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

/** The HTML without the one script each page carries on purpose (html.ts, runSummary.ts). */
function withoutOwnScripts(html: string): string {
  return html.replace(/<script>(?:const box|for \(const c of)[^<]*<\/script>/g, '');
}

const TASK: EditorTask = frozen({
  friendlyName: 'Key Vault Secrets',
  version: { Major: 1, Minor: 2, Patch: 3 },
  instanceNameFormat: 'Key Vault secrets: $(KeyVaultName)',
  groups: [
    { name: 'connection', displayName: 'Connection and vault', isExpanded: true },
    { name: 'advanced', displayName: 'Advanced', isExpanded: false },
  ],
  inputs: [
    {
      name: 'KeyVaultName',
      type: 'pickList',
      label: 'Key vault',
      required: true,
      groupName: 'connection',
      helpMarkDown: 'Name, e.g. `contoso-kv`. [Docs](https://learn.microsoft.com/azure/key-vault/)',
    },
    {
      name: 'Format',
      type: 'pickList',
      label: 'Name format',
      defaultValue: 'asIs',
      options: { asIs: 'As the secret is named', upperSnake: 'UPPER_SNAKE' },
      groupName: 'connection',
    },
    {
      name: 'Prefix',
      type: 'string',
      label: 'Prefix',
      defaultValue: '',
      groupName: 'connection',
      visibleRule: 'Format = upperSnake',
    },
    {
      name: 'Concurrency',
      type: 'int',
      label: 'Parallel requests',
      defaultValue: '16',
      groupName: 'advanced',
    },
  ],
});

const EXAMPLE: EditorExample = frozen({
  values: { KeyVaultName: 'contoso-kv' },
  pipeline: 'Deploy web app',
  stage: 'Production',
  iconDataUrl: 'data:image/png;base64,AAAA',
});

describe('screenshot pages (scripts/screenshots)', () => {
  describe('escapeHtml', () => {
    it('escapes the five characters with a meaning in HTML text and attributes', () => {
      assert.equal(
        escapeHtml(`${SCRIPT} & "a" 'b'`),
        `${SCRIPT_ESCAPED} &amp; &quot;a&quot; &#39;b&#39;`,
      );
    });
  });

  describe('the classic editor form', () => {
    it('shows each group, label, value and help icon, and fills the display name', () => {
      const html = renderTaskForm(TASK, EXAMPLE);
      assert.equal(
        displayName(TASK, { KeyVaultName: 'contoso-kv' }),
        'Key Vault secrets: contoso-kv',
      );
      assert.ok(html.includes('<span>Connection and vault</span>'));
      assert.ok(
        html.includes('<span>Key vault</span><span class="required">*</span><span class="help">'),
      );
      assert.ok(html.includes('<span>contoso-kv</span>'));
      assert.ok(html.includes('>Key Vault secrets: contoso-kv<'));
      // A pickList shows the label of its value, not the value.
      assert.ok(html.includes('<span>As the secret is named</span>'));
      assert.ok(!html.includes('>asIs<'));
    });

    it('honours visible rules and collapsed groups', () => {
      const hidden = renderTaskForm(TASK, EXAMPLE);
      assert.ok(!hidden.includes('data-input="Prefix"'));
      assert.ok(hidden.includes('<span>Advanced</span>'));
      assert.ok(!hidden.includes('data-input="Concurrency"'), 'a collapsed group shows no input');
      const shown = renderTaskForm(TASK, { ...EXAMPLE, values: { Format: 'upperSnake' } });
      assert.ok(shown.includes('data-input="Prefix"'));
      assert.ok(shown.includes('<span>UPPER_SNAKE</span>'));
    });

    it('opens the help callout asked for, with its Markdown rendered', () => {
      const html = renderTaskForm(TASK, { ...EXAMPLE, openHelp: 'KeyVaultName' });
      assert.ok(
        html.includes(
          '<div class="callout">Name, e.g. <code>contoso-kv</code>. <a href="https://learn.microsoft.com/azure/key-vault/">Docs</a></div>',
        ),
      );
      assert.equal(renderTaskForm(TASK, EXAMPLE).includes('class="callout"'), false);
    });

    it('escapes labels, values, help, names and the pipeline', () => {
      const task = frozen({
        ...TASK,
        friendlyName: SCRIPT,
        inputs: [
          {
            name: 'X"><script>',
            type: 'string',
            label: SCRIPT,
            defaultValue: SCRIPT,
            helpMarkDown: `${SCRIPT} [x](javascript:alert(1))`,
          },
        ],
      });
      const html = renderClassicEditor(task, {
        ...EXAMPLE,
        openHelp: 'X"><script>',
        pipeline: SCRIPT,
      });
      assert.equal(withoutOwnScripts(html).includes('<script'), false);
      assert.ok(html.includes(SCRIPT_ESCAPED));
      assert.ok(html.includes('data-input="X&quot;&gt;&lt;script&gt;"'));
      assert.equal(html.includes('href="javascript'), false);
    });

    it('is a pure function of task.json and the example', () => {
      assert.equal(renderClassicEditor(TASK, EXAMPLE), renderClassicEditor(TASK, EXAMPLE));
    });
  });

  describe('visible rules', () => {
    const values = { A: 'true', B: 'pfx', N: '5' };
    for (const [rule, expected] of [
      ['A = true', true],
      ['A == True', true],
      ['A != true', false],
      ['A = true && B = pem', false],
      ['A = false || B = pfx', true],
      ['B Contains f', true],
      ['B NotStartsWith p', false],
      ['N > 4', true],
      ['N <= 4', false],
      ['Missing = x', false],
    ] as const) {
      it(`${rule} → ${expected}`, () => assert.equal(isVisible(rule, values), expected));
    }
    it('no rule: visible', () => assert.equal(isVisible(undefined, values), true));
  });

  describe('the job log', () => {
    const identity = frozen({
      friendlyName: 'Key Vault Secrets',
      description: 'Fetch secrets',
      version: { Major: 1, Minor: 2, Patch: 3 },
      author: 'Contributors',
      helpUrl: 'https://example.test/help',
    });

    it("wraps the task's output in the agent's lines, without debug lines", () => {
      assert.deepEqual(
        taskStepLines(identity, 'Get secrets', ['one', '##[debug]hidden', '##[warning]w']),
        [
          '##[section]Starting: Get secrets',
          '='.repeat(78),
          'Task         : Key Vault Secrets',
          'Description  : Fetch secrets',
          'Version      : 1.2.3',
          'Author       : Contributors',
          'Help         : https://example.test/help',
          '='.repeat(78),
          'one',
          '##[warning]w',
          '##[section]Finishing: Get secrets',
        ],
      );
    });

    it('shows formatting commands as colours, not text', () => {
      assert.deepEqual(classifyLine('##[error]Bad'), { kind: 'error', text: 'Bad' });
      assert.deepEqual(classifyLine('plain ##[error]'), { kind: 'plain', text: 'plain ##[error]' });
      const html = renderAgentLog({
        pipeline: 'p',
        runName: 'r',
        jobName: 'j',
        steps: [{ name: 's', result: 'Succeeded', lines: ['##[warning]Careful', 'value=***'] }],
      });
      assert.ok(
        html.includes(
          '<div class="line warning"><span class="n">1</span><span class="t">Careful</span></div>',
        ),
      );
      assert.ok(html.includes('<span class="t">value=***</span>'));
    });

    it('escapes log lines and names', () => {
      const job: JobLog = frozen({
        pipeline: SCRIPT,
        runName: SCRIPT,
        jobName: SCRIPT,
        steps: [
          { name: SCRIPT, result: 'Failed', note: SCRIPT, lines: [`##[error]${SCRIPT}`, SCRIPT] },
        ],
      });
      const html = renderAgentLog(job);
      assert.equal(withoutOwnScripts(html).includes('<script'), false);
      assert.ok(html.includes(`<span class="t">${SCRIPT_ESCAPED}</span>`));
      assert.equal(html, renderAgentLog(job));
    });
  });

  describe('Markdown of the run summary', () => {
    it('renders headings, lists, tables, code and emphasis', () => {
      assert.equal(
        markdownToHtml(
          [
            '## Key Vault secrets: contoso\\-kv',
            '',
            '**Succeeded**: 2 set.',
            '',
            '- **Vault**: `https://v`',
            '- _two_',
            '',
            '| Secret | Status |',
            '| --- | --- |',
            '| a\\|b | `x` |',
            '',
            '```kusto',
            'T | where x < 1',
            '```',
          ].join('\n'),
        ),
        [
          '<h2>Key Vault secrets: contoso-kv</h2>',
          '<p><strong>Succeeded</strong>: 2 set.</p>',
          '<ul><li><strong>Vault</strong>: <code>https://v</code></li><li><em>two</em></li></ul>',
          '<table><thead><tr><th>Secret</th><th>Status</th></tr></thead><tbody><tr><td>a|b</td><td><code>x</code></td></tr></tbody></table>',
          '<pre><code class="language-kusto">T | where x &lt; 1</code></pre>',
        ].join('\n'),
      );
    });

    it('shows raw HTML and character references as text, never as markup', () => {
      assert.equal(inlineMarkdown(SCRIPT), SCRIPT_ESCAPED);
      assert.equal(
        inlineMarkdown('&lt;script&gt; &amp; &#124; &bogus;'),
        '&lt;script&gt; &amp; | &amp;bogus;',
      );
      assert.equal(inlineMarkdown(`\`${SCRIPT}\``), `<code>${SCRIPT_ESCAPED}</code>`);
      assert.equal(inlineMarkdown('[x](javascript:alert(1))'), '[x](javascript:alert(1))');
    });

    it('escapes a secret name with <script> in the summary page', () => {
      const html = renderRunSummary(
        frozen({
          pipeline: 'p',
          runName: 'r',
          fileName: `${SCRIPT}.md`,
          markdown: `| Secret |\n| --- |\n| ${SCRIPT} |\n`,
        }),
      );
      assert.equal(withoutOwnScripts(html).includes('<script>alert'), false);
      assert.ok(html.includes(`<td>${SCRIPT_ESCAPED}</td>`));
      assert.ok(html.includes(`<span>${SCRIPT_ESCAPED}</span>`), 'the section title');
    });
  });

  describe('finding Chromium', () => {
    it('says what to install when there is none', () => {
      assert.throws(
        () => findChromium({ PATH: '' }),
        /^Error: No Chromium found .*apt-get install chromium/,
      );
    });
    it('refuses a CHROMIUM that does not exist', () => {
      assert.throws(() => findChromium({ CHROMIUM: '/nonexistent/chromium' }), {
        message: 'CHROMIUM=/nonexistent/chromium does not exist.',
      });
    });
  });
});
