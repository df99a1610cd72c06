/**
 * A strict little XML reader for tests: enough of XML to prove an SVG well-formed (balanced,
 * properly nested tags; quoted attributes; known entities) and to walk its elements.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(text: string, where: number): void {
  const stray = text.replace(ENTITY, '');
  if (stray.includes('&') || stray.includes('<')) throw new Error(`unescaped '&' or '<' in text near offset ${where}`);
}

export function parseXml(source: string): XmlElement {
  let i = 0;
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const text = source.slice(i, lt < 0 ? source.length : lt);
    checkText(text, i);
    stack[stack.length - 1].text += text;
    if (lt < 0) break;
    if (source.startsWith('<?', lt)) {
      i = source.indexOf('?>', lt) + 2;
      continue;
    }
    if (/^<!DOCTYPE/i.test(source.slice(lt, lt + 9))) {
      i = source.indexOf('>', lt) + 1;
      continue;
    }
    if (source.startsWith('<!--', lt)) {
      i = source.indexOf('-->', lt) + 3;
      continue;
    }
    const gt = source.indexOf('>', lt);
    if (gt < 0) throw new Error(`unterminated tag at offset ${lt}`);
    const tag = source.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> at offset ${lt} closes <${open?.name}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z_][\w:.-]*)/.exec(body);
    if (!m) throw new Error(`bad tag name at offset ${lt}: <${tag.slice(0, 20)}`);
    const element: XmlElement = { name: m[1], attrs: {}, children: [], text: '' };
    const rest = body.slice(m[1].length);
    const attr = /\s+([A-Za-z_][\w:.-]*)="([^"]*)"/y;
    let pos = 0;
    for (;;) {
      attr.lastIndex = pos;
      const a = attr.exec(rest);
      if (!a) break;
      if (a[1] in element.attrs) throw new Error(`duplicate attribute ${a[1]} on <${element.name}>`);
      checkText(a[2], lt);
      element.attrs[a[1]] = a[2];
      pos = attr.lastIndex;
    }
    if (rest.slice(pos).trim() !== '') throw new Error(`malformed attributes on <${element.name}> at offset ${lt}: ${rest.slice(pos, pos + 30)}`);
    stack[stack.length - 1].children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  return root;
}

export function* walk(element: XmlElement): Generator<XmlElement> {
  yield element;
  for (const child of element.children) yield* walk(child);
}

/** All text content below an element, concatenated per <text> element. */
export function texts(root: XmlElement): string[] {
  return [...walk(root)].filter((e) => e.name === 'text').map((e) => [e.text, ...[...walk(e)].slice(1).map((c) => c.text)].join('').trim());
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text with its XML entities decoded. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (all, name: string) =>
    name.startsWith('#x') ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (ENTITIES[name] ?? all),
  );
}

/** Every line of text as a reader sees it: each <tspan> of a multi-line <text> on its own, entities decoded. */
export function textLines(root: XmlElement): string[] {
  return [...walk(root)]
    .filter((e) => e.name === 'text')
    .flatMap((e) => {
      const spans = e.children.filter((c) => c.name === 'tspan');
      return spans.length > 0 ? spans.map((t) => t.text) : [e.text];
    })
    .map((t) => decodeEntities(t).trim());
}

/** The items of every vega mark group of a type (e.g. 'line', 'symbol', 'rect', 'rule', 'text'). */
export function markItems(root: XmlElement, type: string): XmlElement[] {
  return [...walk(root)]
    .filter((e) => {
      const classes = (e.attrs.class ?? '').split(/\s+/);
      return e.name === 'g' && classes.includes(`mark-${type}`) && classes.includes('role-mark');
    })
    .flatMap((g) => g.children);
}

/** Parses a standalone SVG document and checks its root element. */
export function parseSvg(svg: string): XmlElement {
  if (!svg.startsWith('<svg')) throw new Error(`does not start with <svg: ${svg.slice(0, 30)}`);
  const doc = parseXml(svg);
  if (doc.children.length !== 1 || doc.children[0].name !== 'svg') throw new Error('expected exactly one <svg> root element');
  if (doc.children[0].attrs.xmlns !== 'http://www.w3.org/2000/svg') throw new Error('missing the SVG namespace');
  return doc.children[0];
}
