/**
 * HTML for the screenshots: one escaping rule for every text that reaches a page, and the page
 * frame they share. Every builder is a pure function from data to a string, so the pictures can
 * be tested as text and rendered by any browser.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text (or an attribute value) as HTML that shows exactly these characters. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/**
 * The fonts Azure DevOps asks for first (Segoe UI, Consolas), then the free ones a contributor's
 * Linux has or gets from Debian (fonts-open-sans, fonts-dejavu-core), so the pictures look alike
 * wherever they are rendered.
 */
export const UI_FONT =
  '"Segoe UI", "Open Sans", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", "DejaVu Sans", sans-serif';
export const MONO_FONT = 'Consolas, "DejaVu Sans Mono", Menlo, "Courier New", monospace';

/** The colours of Azure DevOps' light theme that the pictures use. */
export const COLOURS = {
  text: '#201f1e',
  secondary: '#605e5c',
  border: '#e1dfdd',
  background: '#f8f8f8',
  surface: '#ffffff',
  accent: '#0078d4',
  selected: '#deecf9',
  success: '#107c10',
  warning: '#d67f3c',
  error: '#cd4a45',
};

/**
 * A complete page of `width` CSS pixels. The script in it records the page's size on the body
 * (`data-size="<width>x<height>"`), which chromium.ts reads back to size the screenshot.
 */
export function page(title: string, width: number, css: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{width:${width}px;font-family:${UI_FONT};font-size:14px;line-height:20px;color:${COLOURS.text};background:${COLOURS.background};-webkit-font-smoothing:antialiased}
code{font-family:${MONO_FONT};font-size:12.5px}
a{color:${COLOURS.accent};text-decoration:none}
.topbar{height:48px;background:${COLOURS.surface};border-bottom:1px solid ${COLOURS.border};display:flex;align-items:center;padding:0 16px;gap:12px;color:${COLOURS.secondary}}
.logo{width:24px;height:24px;border-radius:4px;background:linear-gradient(135deg,#0078d4,#50a0e6)}
.crumbs b{color:${COLOURS.text};font-weight:600}
${css}
</style></head>
<body>${body}
<script>const box = document.documentElement.getBoundingClientRect(); document.body.setAttribute('data-size', Math.ceil(Math.max(box.width, document.documentElement.scrollWidth)) + 'x' + Math.ceil(box.height));</script>
</body></html>
`;
}

/** The organization bar at the top of every Azure DevOps page, with the path to the page. */
export function topBar(path: string[]): string {
  const crumbs = path.map((part, i) =>
    i === path.length - 1 ? `<b>${escapeHtml(part)}</b>` : escapeHtml(part),
  );
  return `<div class="topbar"><div class="logo"></div><span class="crumbs">${crumbs.join(' / ')}</span></div>`;
}

export const CHEVRON_DOWN =
  '<svg width="12" height="12" viewBox="0 0 12 12"><path d="M2 4l4 4 4-4" fill="none" stroke="#323130" stroke-width="1.3"/></svg>';
export const CHEVRON_UP =
  '<svg width="12" height="12" viewBox="0 0 12 12"><path d="M2 8l4-4 4 4" fill="none" stroke="#323130" stroke-width="1.3"/></svg>';
