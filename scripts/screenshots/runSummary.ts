/**
 * A run's Extensions tab as Azure DevOps shows it: each Markdown file a task attached with
 * `##vso[task.uploadsummary]` becomes a section titled by the file's name without `.md`
 * (Microsoft, "Logging commands", UploadSummary:
 * https://learn.microsoft.com/azure/devops/pipelines/scripts/logging-commands#uploadsummary-add-some-markdown-content-to-the-build-summary).
 */
import { CHEVRON_UP, COLOURS, escapeHtml, MONO_FONT, page, topBar } from './html';
import { markdownToHtml } from './markdown';

export interface SummaryPage {
  pipeline: string;
  runName: string;
  /** The attached file's name, e.g. `Key Vault secrets - contoso-kv.md`. */
  fileName: string;
  markdown: string;
  /**
   * The most of the section to show, in CSS pixels; a longer summary fades out at the bottom, as
   * a Marketplace picture should not be a scroll.
   */
  maxHeight?: number;
}

/** Wider than the other pictures: the secrets table has seven columns. */
const SUMMARY_WIDTH = 1366;

const CSS = `
.runbar{background:${COLOURS.surface};border-bottom:1px solid ${COLOURS.border};padding:16px 32px 0}
.runbar .name{font-size:20px;font-weight:600;margin-bottom:14px}
.tabs{display:flex;gap:26px;color:${COLOURS.secondary}}
.tabs span{padding-bottom:10px}
.tabs .on{color:${COLOURS.text};font-weight:600;border-bottom:2px solid ${COLOURS.accent}}
.content{padding:20px 32px 28px}
.card{background:${COLOURS.surface};border-radius:4px;box-shadow:0 1.6px 3.6px rgba(0,0,0,.13),0 .3px .9px rgba(0,0,0,.11)}
.card-header{display:flex;align-items:center;gap:10px;padding:14px 20px;font-size:15px;font-weight:600;border-bottom:1px solid ${COLOURS.border}}
.markdown{padding:6px 20px 18px;font-size:14px;line-height:21px}
.markdown h1,.markdown h2{font-size:20px;line-height:28px;margin:14px 0 8px;font-weight:600}
.markdown h3{font-size:16px;margin:18px 0 8px;font-weight:600}
.markdown p{margin:8px 0}
.markdown ul,.markdown ol{margin:8px 0;padding-left:24px}
.markdown li{margin:2px 0}
.markdown code{font-family:${MONO_FONT};font-size:12.5px;background:#f3f2f1;padding:1px 4px;border-radius:2px}
.markdown pre{background:#f3f2f1;padding:10px 14px;border-radius:2px;white-space:pre-wrap;overflow-wrap:anywhere;margin:8px 0}
.markdown pre code{background:none;padding:0}
.markdown table{border-collapse:collapse;margin:8px 0;font-size:13px;line-height:19px}
.markdown th,.markdown td{border:1px solid ${COLOURS.border};padding:5px 10px;text-align:left;vertical-align:top;white-space:nowrap}
.markdown th{background:#faf9f8;font-weight:600}
.clip{overflow:hidden;position:relative}
.clip.clipped::after{content:"";position:absolute;left:0;right:0;bottom:0;height:120px;background:linear-gradient(rgba(255,255,255,0),#fff)}
`;

/** The Extensions tab with the summary's section open. */
export function renderRunSummary(summary: SummaryPage): string {
  const title = summary.fileName.replace(/\.md$/i, '');
  const clip = summary.maxHeight ? ` style="max-height:${Math.round(summary.maxHeight)}px"` : '';
  const body = `${topBar(['contoso', 'Web', 'Pipelines', summary.pipeline, summary.runName])}
<div class="runbar"><div class="name">${escapeHtml(summary.runName)}</div><div class="tabs"><span>Summary</span><span class="on">Extensions</span><span>Tests</span></div></div>
<div class="content"><div class="card"><div class="card-header">${CHEVRON_UP}<span>${escapeHtml(title)}</span></div><div class="clip"${clip}><div class="markdown">${markdownToHtml(summary.markdown)}</div></div></div></div>
<script>for (const c of document.querySelectorAll('.clip')) if (c.scrollHeight > c.clientHeight) c.classList.add('clipped');</script>`;
  return page(`${title} - Extensions`, SUMMARY_WIDTH, CSS, body);
}
