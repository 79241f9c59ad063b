import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A vector attribute's pairs, in the order given. */
export type SimVector = Array<[key: string, value: string]>;

/** One attribute; names repeat (several `AR`s). */
export type SimAttribute = [name: string, value: string | SimVector];

/** An object template in insertion order (oned keeps a multimap and sorts on output). */
export type SimTemplate = SimAttribute[];

/** Outcome of parsing a template argument. */
export type ParseResult = { ok: true; template: SimTemplate } | { ok: false; error: string };

/**
 * Parses a template argument as oned does: XML form when the first character
 * is `<`, otherwise the native syntax (`template_parser.l` / `template_syntax.y`).
 */
export function parseTemplate(text: string): ParseResult {
  const result = text.startsWith('<') ? parseXmlTemplate(text) : parseNativeTemplate(text);
  if (!result.ok) return result;
  const bad = result.template.some(([, value]) =>
    typeof value === 'string' ? value.includes(']]>') : value.some(([, v]) => v.includes(']]>')),
  );
  if (bad) return { ok: false, error: 'Parse error: syntax error, unexpected ]]> in value' };
  // oned trims every value, in both syntaxes (measured on oned 7.5).
  const trimmed: SimTemplate = result.template.map(([name, value]) => [
    name,
    typeof value === 'string' ? value.trim() : value.map(([k, v]): [string, string] => [k, v.trim()]),
  ]);
  return { ok: true, template: trimmed };
}

type Token =
  | { kind: 'name'; text: string; line: number }
  | { kind: 'eq' | 'comma' | 'lbracket' | 'rbracket' | 'newline'; line: number }
  | { kind: 'string'; text: string; line: number }
  | { kind: 'end'; line: number };

// The quoted form ends at the first quote not preceded by a backslash: flex's
// longest match of "([^"]|\\")*", which is why a value ending in \ swallows on.
const QUOTED = /^"((?:\\"|[^"])*)"/;
// A quote that is never closed is read as part of a bare word, as oned's lexer does (`A="1` is `"1`).
const UNQUOTED = /^"?[^\s=#,[\]"]+/;
const NAME = /^[A-Za-z0-9_]+/;

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let rest = text;
  let line = 1;
  let expectValue = false;
  while (rest.length > 0) {
    const ch = rest[0] as string;
    if (ch === '\n') {
      tokens.push({ kind: 'newline', line });
      line += 1;
      rest = rest.slice(1);
      continue;
    }
    if (/\s/.test(ch)) {
      rest = rest.slice(1);
      continue;
    }
    if (ch === '#') {
      const end = rest.indexOf('\n');
      rest = end === -1 ? '' : rest.slice(end);
      continue;
    }
    if ('=,[]'.includes(ch)) {
      const kind = ({ '=': 'eq', ',': 'comma', '[': 'lbracket', ']': 'rbracket' } as const)[ch as '=' | ',' | '[' | ']'];
      tokens.push({ kind, line });
      expectValue = kind === 'eq';
      rest = rest.slice(1);
      continue;
    }
    if (ch === '"' && QUOTED.test(rest)) {
      const m = QUOTED.exec(rest);
      if (!m) return `Parse error: syntax error, unterminated string at line ${line}`;
      const raw = m[1] ?? '';
      tokens.push({ kind: 'string', text: raw.replace(/\\"/g, '"'), line });
      line += raw.split('\n').length - 1;
      rest = rest.slice(m[0].length);
      expectValue = false;
      continue;
    }
    const m = (expectValue ? UNQUOTED : NAME).exec(rest) ?? UNQUOTED.exec(rest);
    if (!m) return `Parse error: syntax error, unexpected character '${ch}' at line ${line}`;
    tokens.push(expectValue ? { kind: 'string', text: m[0], line } : { kind: 'name', text: m[0], line });
    rest = rest.slice(m[0].length);
    expectValue = false;
  }
  tokens.push({ kind: 'end', line });
  return tokens;
}

function parseNativeTemplate(text: string): ParseResult {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  const template: SimTemplate = [];
  let i = 0;
  const peek = (): Token => tokens[i] as Token;
  const fail = (expecting: string): ParseResult => {
    const t = peek();
    const what = t.kind === 'end' ? '$end' : t.kind.toUpperCase();
    return { ok: false, error: `Parse error: syntax error, unexpected ${what}, expecting ${expecting} at line ${t.line}` };
  };
  const skipNewlines = (): void => {
    while (peek().kind === 'newline') i += 1;
  };
  for (;;) {
    skipNewlines();
    const nameToken = peek();
    if (nameToken.kind === 'end') break;
    if (nameToken.kind !== 'name' || !/^[A-Za-z0-9_]+$/.test(nameToken.text)) return fail('VARIABLE');
    i += 1;
    if (peek().kind !== 'eq') return fail('EQUAL');
    i += 1;
    const value = peek();
    if (value.kind === 'string') {
      template.push([nameToken.text.toUpperCase(), value.text]);
      i += 1;
    } else if (value.kind === 'newline' || value.kind === 'end') {
      template.push([nameToken.text.toUpperCase(), '']);
    } else if (value.kind === 'lbracket') {
      i += 1;
      const vector: SimVector = [];
      for (;;) {
        skipNewlines();
        const key = peek();
        if (key.kind === 'rbracket' && vector.length === 0) break;
        if (key.kind !== 'name') return fail('VARIABLE');
        i += 1;
        skipNewlines();
        if (peek().kind !== 'eq') return fail('EQUAL');
        i += 1;
        skipNewlines();
        const v = peek();
        if (v.kind === 'string') {
          vector.push([key.text.toUpperCase(), v.text]);
          i += 1;
        } else {
          vector.push([key.text.toUpperCase(), '']);
        }
        skipNewlines();
        if (peek().kind === 'comma') {
          i += 1;
          continue;
        }
        break;
      }
      skipNewlines();
      if (peek().kind !== 'rbracket') return fail('RBRACKET');
      i += 1;
      template.push([nameToken.text.toUpperCase(), vector]);
    } else {
      return fail('STRING or VARIABLE');
    }
    const after = peek();
    if (after.kind !== 'newline' && after.kind !== 'end' && after.kind !== 'name') return fail('NEWLINE');
  }
  return { ok: true, template };
}

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  preserveOrder: true,
  htmlEntities: true,
});

type OrderedNode = Record<string, unknown>;

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== '#text' && key !== ':@');
}

function elementText(children: OrderedNode[]): string {
  return children.map((child) => (typeof child['#text'] === 'string' ? child['#text'] : '')).join('');
}

function parseXmlTemplate(text: string): ParseResult {
  if (XMLValidator.validate(text) !== true) return { ok: false, error: 'Parse error: XML Template malformed.' };
  const doc = xmlParser.parse(text) as OrderedNode[];
  const root = doc.find((node) => elementName(node) !== undefined && !elementName(node)?.startsWith('?'));
  const rootName = root && elementName(root);
  if (!root || !rootName) return { ok: false, error: 'Parse error: XML Template malformed.' };
  const template: SimTemplate = [];
  for (const node of root[rootName] as OrderedNode[]) {
    const name = elementName(node);
    if (!name) continue;
    const children = node[name] as OrderedNode[];
    const elements = children.filter((child) => elementName(child) !== undefined);
    if (elements.length === 0) {
      const value = elementText(children);
      // oned drops empty elements of the XML form.
      if (value !== '') template.push([name.toUpperCase(), value]);
      continue;
    }
    const vector: SimVector = [];
    for (const child of elements) {
      const key = elementName(child) as string;
      const value = elementText(child[key] as OrderedNode[]);
      if (value !== '') vector.push([key.toUpperCase(), value]);
    }
    template.push([name.toUpperCase(), vector]);
  }
  return { ok: true, template };
}

/** First single value of an attribute. */
export function getAttr(template: SimTemplate, name: string): string | undefined {
  const found = template.find(([n, v]) => n === name && typeof v === 'string');
  return found ? (found[1] as string) : undefined;
}

/** Every vector value of an attribute (e.g. all `AR`s). */
export function getVectors(template: SimTemplate, name: string): SimVector[] {
  return template.filter(([n, v]) => n === name && typeof v !== 'string').map(([, v]) => v as SimVector);
}

/** Sets a single value, replacing every attribute of that name. */
export function setAttr(template: SimTemplate, name: string, value: string): void {
  removeAttr(template, name);
  template.push([name, value]);
}

/** Sets a single value only when the attribute is absent. */
export function defaultAttr(template: SimTemplate, name: string, value: string): void {
  if (!template.some(([n]) => n === name)) template.push([name, value]);
}

/** Removes every attribute of that name. */
export function removeAttr(template: SimTemplate, name: string): void {
  for (let i = template.length - 1; i >= 0; i -= 1) if (template[i]?.[0] === name) template.splice(i, 1);
}

/** oned's merge (`Template::merge`): each incoming name replaces all old attributes of that name. */
export function mergeTemplate(base: SimTemplate, incoming: SimTemplate): SimTemplate {
  const names = new Set(incoming.map(([n]) => n));
  return [...base.filter(([n]) => !names.has(n)), ...incoming.map(copyAttribute)];
}

/** Deep copy of an attribute. */
export function copyAttribute([name, value]: SimAttribute): SimAttribute {
  return [name, typeof value === 'string' ? value : value.map(([k, v]) => [k, v] as [string, string])];
}

/** Looks a key up in a vector. */
export function vectorGet(vector: SimVector, key: string): string | undefined {
  return vector.find(([k]) => k === key)?.[1];
}
