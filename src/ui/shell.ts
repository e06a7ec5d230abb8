/** The Content-Security-Policy of every UI answer: nothing inline, nothing from elsewhere. */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Headers of every UI answer. */
export const UI_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': UI_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** The names of the built assets (content-hashed). */
export interface UiEntry {
  js: string;
  css: string;
  icon: string;
}

/** The one HTML page: the app loads itself from `/ui/` and renders everything else. */
export function shellHtml(entry: UiEntry): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>CloudRouter</title>
<link rel="icon" type="image/svg+xml" href="/ui/${entry.icon}">
<link rel="stylesheet" href="/ui/${entry.css}">
<script type="module" src="/ui/${entry.js}"></script>
</head>
<body>
<noscript>CloudRouter's console needs JavaScript. 控制台需要启用 JavaScript。</noscript>
<div id="app"></div>
</body>
</html>
`;
}
