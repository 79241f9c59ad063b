/**
 * The XML-RPC encoding oned speaks, written out here rather than taken from
 * a general XML-RPC library: a call is a flat list of scalars, an answer a
 * small array, so a direct encoder and a strict recursive-descent decoder
 * are a few dozen lines and keep an XML builder out of every bundle that
 * talks to OpenNebula.
 */

/** A value on the wire. */
export type XmlRpcValue = undefined | boolean | number | string | Date | Uint8Array | XmlRpcValue[] | XmlRpcStruct;

/** An XML-RPC `<struct>`. */
export type XmlRpcStruct = { [key: string]: XmlRpcValue };

/** A `<fault>` answer. */
export class XmlRpcFaultAnswer extends Error {
  constructor(
    readonly faultCode: number | undefined,
    readonly faultString: string | undefined,
  ) {
    super(`XML-RPC fault ${faultCode ?? '?'}: ${faultString ?? ''}`);
    this.name = 'XmlRpcFaultAnswer';
  }
}

/** The answer is not well-formed XML-RPC. */
export class XmlRpcSyntaxError extends Error {
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'XmlRpcSyntaxError';
  }
}

/** `<methodCall>` of a method with its parameters. */
export function encodeMethodCall(method: string, params: readonly XmlRpcValue[]): string {
  const body = params.map((p) => `<param>${encodeValue(p)}</param>`).join('');
  return `<?xml version="1.0"?><methodCall><methodName>${escapeText(method)}</methodName><params>${body}</params></methodCall>`;
}

/** `<methodResponse>` with one value (what the simulated oned answers). */
export function encodeMethodResponse(value: XmlRpcValue): string {
  return `<?xml version="1.0"?><methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>`;
}

function encodeValue(value: XmlRpcValue): string {
  if (value === undefined || value === null) return '<value><nil/></value>';
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === 'string') return `<value><string>${escapeText(value)}</string></value>`;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return `<value><int>${value}</int></value>`;
    return `<value><double>${Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : value}</double></value>`;
  }
  if (value instanceof Date) return `<value><dateTime.iso8601>${iso8601(value)}</dateTime.iso8601></value>`;
  if (value instanceof Uint8Array) return `<value><base64>${Buffer.from(value).toString('base64')}</base64></value>`;
  if (Array.isArray(value)) return `<value><array><data>${value.map(encodeValue).join('')}</data></array></value>`;
  const members = Object.entries(value).map(([k, v]) => `<member><name>${escapeText(k)}</name>${encodeValue(v)}</member>`);
  return `<value><struct>${members.join('')}</struct></value>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function iso8601(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * Decodes a `<methodResponse>`: the value of its one `<param>`, or throws
 * {@link XmlRpcFaultAnswer} for a `<fault>` and {@link XmlRpcSyntaxError}
 * for anything that is not XML-RPC.
 */
export function decodeMethodResponse(xml: string): XmlRpcValue {
  const r = new Reader(xml);
  r.prolog();
  r.open('methodResponse');
  if (r.tryOpen('fault')) {
    const fault = r.value();
    r.close('fault');
    const struct = fault && typeof fault === 'object' && !Array.isArray(fault) ? (fault as XmlRpcStruct) : {};
    const code = struct['faultCode'];
    const text = struct['faultString'];
    throw new XmlRpcFaultAnswer(typeof code === 'number' ? code : undefined, typeof text === 'string' ? text : undefined);
  }
  r.open('params');
  r.open('param');
  const value = r.value();
  r.close('param');
  r.close('params');
  r.close('methodResponse');
  return value;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A cursor over the answer's text that reads exactly the XML-RPC grammar. */
class Reader {
  private at = 0;

  constructor(private readonly xml: string) {}

  /** Skips the XML declaration, comments and whitespace before the root. */
  prolog(): void {
    this.skip();
  }

  /** Consumes `<name>`; false (nothing consumed) when the next tag is another. Self-closing tags count as open and close. */
  tryOpen(name: string): boolean {
    this.skip();
    const tag = `<${name}`;
    if (!this.xml.startsWith(tag, this.at)) return false;
    const after = this.xml[this.at + tag.length];
    if (after !== '>' && after !== '/' && !/\s/.test(after ?? '')) return false;
    const end = this.xml.indexOf('>', this.at);
    if (end < 0) this.fail(`unterminated <${name}>`);
    this.selfClosed = this.xml[end - 1] === '/';
    this.at = end + 1;
    return true;
  }

  open(name: string): void {
    if (!this.tryOpen(name)) this.fail(`expected <${name}>`);
    if (this.selfClosed) this.fail(`<${name}/> has no content`);
  }

  close(name: string): void {
    this.skip();
    const tag = `</${name}`;
    if (!this.xml.startsWith(tag, this.at)) this.fail(`expected </${name}>`);
    const end = this.xml.indexOf('>', this.at);
    this.at = end + 1;
  }

  /** One `<value>`. */
  value(): XmlRpcValue {
    if (!this.tryOpen('value')) this.fail('expected <value>');
    if (this.selfClosed) return '';
    const text = this.text();
    if (this.xml.startsWith('</value', this.at)) {
      this.close('value');
      return text; // A value without a type element is a string.
    }
    const type = this.nextTagName();
    const value = this.typed(type);
    this.close('value');
    return value;
  }

  private selfClosed = false;

  private typed(type: string): XmlRpcValue {
    if (type === 'array') {
      this.open('array');
      const items: XmlRpcValue[] = [];
      if (this.tryOpen('data') && !this.selfClosed) {
        while (this.peekOpen('value')) items.push(this.value());
        this.close('data');
      }
      this.close('array');
      return items;
    }
    if (type === 'struct') {
      const struct: XmlRpcStruct = {};
      if (this.tryOpen('struct') && this.selfClosed) return struct;
      while (this.tryOpen('member')) {
        this.open('name');
        const key = this.text();
        this.close('name');
        struct[key] = this.value();
        this.close('member');
      }
      this.close('struct');
      return struct;
    }
    this.tryOpen(type);
    if (type === 'nil' || type === 'ex:nil') {
      if (!this.selfClosed) this.close(type);
      return undefined;
    }
    const text = this.selfClosed ? '' : this.text();
    if (!this.selfClosed) this.close(type);
    switch (type) {
      case 'string':
        return text;
      case 'int':
      case 'i4':
      case 'i8':
        return this.number(text, /^\s*[-+]?\d+\s*$/, type);
      case 'double':
        return this.number(text, /^\s*([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|[-+]?inf|nan)\s*$/i, type);
      case 'boolean':
        if (text.trim() === '1') return true;
        if (text.trim() === '0') return false;
        return this.fail(`boolean '${text}' is neither 0 nor 1`);
      case 'base64':
        return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
      case 'dateTime.iso8601': {
        const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(text.trim());
        if (!m) return this.fail(`dateTime '${text}' is not ISO 8601`);
        return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
      }
      default:
        return this.fail(`unknown value type <${type}>`);
    }
  }

  private number(text: string, pattern: RegExp, type: string): number {
    if (!pattern.test(text)) this.fail(`<${type}> '${text}' is not a number`);
    const t = text.trim().toLowerCase();
    if (t.endsWith('inf')) return t.startsWith('-') ? -Infinity : Infinity;
    if (t === 'nan') return NaN;
    return Number(t);
  }

  private peekOpen(name: string): boolean {
    this.skip();
    return this.xml.startsWith(`<${name}`, this.at) && /[\s/>]/.test(this.xml[this.at + name.length + 1] ?? '');
  }

  private nextTagName(): string {
    this.skip();
    const m = /^<([A-Za-z][\w.:-]*)/.exec(this.xml.slice(this.at, this.at + 40));
    if (!m) this.fail('expected an element');
    return (m as RegExpExecArray)[1] as string;
  }

  /** Character data up to the next tag: entities and CDATA decoded, whitespace kept. */
  private text(): string {
    let out = '';
    for (;;) {
      if (this.xml.startsWith('<![CDATA[', this.at)) {
        const end = this.xml.indexOf(']]>', this.at);
        if (end < 0) this.fail('unterminated CDATA');
        out += this.xml.slice(this.at + 9, end);
        this.at = end + 3;
        continue;
      }
      if (this.xml.startsWith('<!--', this.at)) {
        const end = this.xml.indexOf('-->', this.at);
        if (end < 0) this.fail('unterminated comment');
        this.at = end + 3;
        continue;
      }
      const next = this.xml.indexOf('<', this.at);
      if (next < 0) this.fail('unexpected end of document');
      out += decodeEntities(this.xml.slice(this.at, next), (m) => this.fail(m));
      this.at = next;
      if (!this.xml.startsWith('<![CDATA[', this.at) && !this.xml.startsWith('<!--', this.at)) return out;
    }
  }

  /** Whitespace, comments and processing instructions between elements. */
  private skip(): void {
    for (;;) {
      while (this.at < this.xml.length && /\s/.test(this.xml[this.at] as string)) this.at += 1;
      const close = this.xml.startsWith('<?', this.at) ? '?>' : this.xml.startsWith('<!--', this.at) ? '-->' : undefined;
      if (!close) return;
      const end = this.xml.indexOf(close, this.at);
      if (end < 0) this.fail('unterminated markup');
      this.at = end + close.length;
    }
  }

  private fail(message: string): never {
    throw new XmlRpcSyntaxError(message, this.at);
  }
}

function decodeEntities(text: string, fail: (message: string) => never): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);|&/g, (whole, name: string | undefined) => {
    if (!name) return fail('bare & in character data');
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? fail(`unknown entity ${whole}`);
  });
}
