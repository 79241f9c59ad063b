import { parse as parseYaml } from 'yaml';
import type { ApiRequest } from './http';
import { HttpProblem } from './problem';
import { MAX_NESTING_DEPTH, nestingDepth } from '../shared/limits';

/** Largest request body accepted (a descriptor with many hosts stays far below). */
export const MAX_BODY_BYTES = 1_048_576;

/** Media types of JSON bodies. */
export const JSON_TYPES = ['application/json'];
/** Media types of YAML descriptors. */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** The media type of a request without parameters (`; charset=…`). */
export function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Parses a JSON (or, where allowed, YAML) body into a value: 413 when too
 * large, 415 for other media types, 400 when it does not parse.
 */
export function parseBody(req: ApiRequest, options: { yaml?: boolean; optional?: boolean } = {}): unknown {
  if (Buffer.byteLength(req.body, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpProblem(413, 'too-large', 'Request body too large', `the body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  if (req.body.trim() === '') {
    if (options.optional) return {};
    throw new HttpProblem(400, 'bad-request', 'Empty body', 'a request body is required');
  }
  const type = mediaType(req.contentType || 'application/json');
  const isYaml = YAML_TYPES.includes(type);
  if (!JSON_TYPES.includes(type) && !(options.yaml && isYaml)) {
    const accepted = [...JSON_TYPES, ...(options.yaml ? YAML_TYPES : [])].join(', ');
    throw new HttpProblem(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `content type '${type}' is not accepted; use ${accepted}`,
    );
  }
  let value: unknown;
  try {
    value = isYaml ? (parseYaml(req.body) as unknown) : (JSON.parse(req.body) as unknown);
  } catch (err) {
    throw (
      tooDeep(err) ??
      new HttpProblem(
        400,
        'bad-request',
        'Body does not parse',
        `the body is not valid ${isYaml ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`,
      )
    );
  }
  if (nestingDepth(value, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH) throw tooDeep();
  return value;
}

/** The problem of a body nested too deeply (or the parser's stack overflow that such a body caused). */
function tooDeep(err?: unknown): HttpProblem | undefined {
  if (err !== undefined && !(err instanceof RangeError || /call stack/i.test(String((err as Error)?.message)))) return undefined;
  return new HttpProblem(
    400,
    'bad-request',
    'Body nested too deeply',
    `the body nests deeper than ${MAX_NESTING_DEPTH} levels; a descriptor or plan needs far fewer`,
  );
}
