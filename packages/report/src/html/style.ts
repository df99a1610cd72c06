/** The report's whole stylesheet: system fonts only, so the file needs nothing from outside. */
export const STYLE = `
:root { color-scheme: light; --ink: #1d232b; --muted: #5b6470; --line: #d9dee4; --band: #f4f6f8; --accent: #4e79a7; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 8px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
nav ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
nav a { color: var(--accent); text-decoration: none; }
nav a:hover { text-decoration: underline; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 6px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { background: var(--band); font-weight: 600; position: sticky; top: 0; }
td.key, th.key { text-align: left; }
table.meta td { text-align: left; white-space: normal; }
.scroll { max-height: 460px; overflow: auto; border: 1px solid var(--line); display: inline-block; max-width: 100%; }
.fit { max-width: 100%; overflow-x: auto; margin: 0 0 18px; }
.fit table { font-size: 14px; }
.fit th { white-space: normal; min-width: 4.5em; vertical-align: bottom; }
.fit th.key { min-width: 0; }
td.value { font-weight: 600; }
.warn { color: #8a4b00; }
.plots { display: flex; flex-wrap: wrap; gap: 20px 28px; align-items: flex-start; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--ink); font-size: 14px; font-weight: 600; margin: 0 0 4px; }
details { margin: 12px 0; }
summary { cursor: pointer; font-weight: 600; margin-bottom: 10px; }
.note { color: var(--muted); font-size: 13px; }
footer { margin-top: 48px; color: var(--muted); font-size: 13px; }
`;
