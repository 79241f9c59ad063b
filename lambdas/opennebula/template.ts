import { ValidationError } from '../shared/errors';

/** A vector attribute, e.g. `AR = [ TYPE = "IP4", IP = "10.0.0.1", SIZE = "8" ]`. */
export type TemplateVector = Readonly<Record<string, string>>;

/** One template attribute; a name may repeat (several `AR`s). */
export type TemplateEntry = readonly [name: string, value: string | TemplateVector];

const ATTRIBUTE_NAME = /^[A-Za-z0-9_]+$/;
// XML 1.0 forbids these characters even as character references.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * Renders attributes as an OpenNebula template string.
 *
 * Uses the native syntax (`NAME = "value"`, `\"` as the only escape), which
 * carries quotes, backslashes and newlines. One value it cannot carry: a value
 * ending in a backslash, because oned's lexer would read the closing quote as
 * escaped and swallow the following attributes. Such templates are sent in
 * oned's XML template form instead, which carries any text.
 *
 * @throws ValidationError for a bad attribute name or a value containing `]]>`
 *   (oned wraps values in CDATA and refuses it).
 */
export function renderTemplate(entries: readonly TemplateEntry[]): string {
  for (const [name, value] of entries) {
    checkName(name);
    if (typeof value === 'string') checkValue(name, value);
    else
      for (const [key, inner] of Object.entries(value)) {
        checkName(`${name}/${key}`, key);
        checkValue(`${name}/${key}`, inner);
      }
  }
  return needsXmlForm(entries) ? renderXml(entries) : renderNative(entries);
}

/** Turns a plain attribute map into template entries, keeping insertion order. */
export function attributeEntries(attributes: Readonly<Record<string, string>>): TemplateEntry[] {
  return Object.entries(attributes).map(([name, value]) => [name, value] as const);
}

function checkName(path: string, name = path): void {
  if (!ATTRIBUTE_NAME.test(name)) {
    throw new ValidationError(`OpenNebula template attribute name "${path}" is not valid`, [
      { path, message: 'only letters, digits and _ are allowed' },
    ]);
  }
}

function checkValue(path: string, value: string): void {
  if (value.includes(']]>')) {
    throw new ValidationError(`OpenNebula template attribute ${path} contains "]]>"`, [
      { path, message: 'oned refuses values containing ]]>' },
    ]);
  }
  if (XML_FORBIDDEN.test(value)) {
    throw new ValidationError(`OpenNebula template attribute ${path} contains a control character`, [
      { path, message: 'control characters other than tab and newlines are not allowed' },
    ]);
  }
}

function allValues(entries: readonly TemplateEntry[]): string[] {
  return entries.flatMap(([, value]) => (typeof value === 'string' ? [value] : Object.values(value)));
}

function needsXmlForm(entries: readonly TemplateEntry[]): boolean {
  return allValues(entries).some((value) => value.endsWith('\\'));
}

function quote(value: string): string {
  return `"${value.replace(/"/g, '\\"')}"`;
}

function renderNative(entries: readonly TemplateEntry[]): string {
  return entries
    .map(([name, value]) => {
      if (typeof value === 'string') return `${name} = ${quote(value)}`;
      const inner = Object.entries(value).map(([key, v]) => `  ${key} = ${quote(v)}`);
      return inner.length === 0 ? `${name} = [ ]` : `${name} = [\n${inner.join(',\n')} ]`;
    })
    .join('\n');
}

function xmlText(value: string): string {
  // CR must be a character reference or XML parsers turn it into LF.
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function renderXml(entries: readonly TemplateEntry[]): string {
  const body = entries
    .map(([name, value]) => {
      if (typeof value === 'string') return `<${name}>${xmlText(value)}</${name}>`;
      const inner = Object.entries(value)
        .map(([key, v]) => `<${key}>${xmlText(v)}</${key}>`)
        .join('');
      return `<${name}>${inner}</${name}>`;
    })
    .join('');
  return `<TEMPLATE>${body}</TEMPLATE>`;
}
