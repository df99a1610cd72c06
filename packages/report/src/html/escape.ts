/** Text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * An SVG document made ready to sit inline in HTML next to others: the XML declaration and
 * DOCTYPE go, and every id (clip paths, gradients) gets `prefix`, with the `url(#..)` and
 * `href="#.."` references to it, so that two plots' `clip1` cannot capture each other's marks.
 */
export function inlineSvg(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]);
  let out = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '');
  if (ids.size === 0) return out;
  out = out.replace(/(\sid=")([^"]+)"/g, (all, head: string, id: string) => `${head}${prefix}${id}"`);
  out = out.replace(/url\(#([^)]+)\)/g, (all, id: string) => (ids.has(id) ? `url(#${prefix}${id})` : all));
  out = out.replace(/(href=")#([^"]+)"/g, (all, head: string, id: string) => (ids.has(id) ? `${head}#${prefix}${id}"` : all));
  return out;
}
