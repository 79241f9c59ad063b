/** Characters `PoolObjectSQL::INVALID_NAME_CHARS` refuses in object names. */
const INVALID_NAME_CHARS = '&|:\\";/\'#{}$<>\t\r\n\v\f';

/** oned's object name check; returns the error detail or undefined when valid. */
export function invalidName(name: string): string | undefined {
  if (name.length === 0) return 'Invalid NAME, it cannot be empty';
  if (name.length > 128) return 'Invalid NAME, max length is 128 chars';
  for (const ch of name) if (INVALID_NAME_CHARS.includes(ch)) return `Invalid NAME, char '${ch}' is not allowed`;
  return undefined;
}

/** oned's host name check (a host name must be a usable hostname). */
export function invalidHostname(name: string): string | undefined {
  const generic = invalidName(name);
  if (generic) return generic;
  if (name.length < 2 || name.length > 63) return 'Invalid HOSTNAME, it must be 2 to 63 characters long';
  if ('-._'.includes(name[0] as string)) return `Invalid HOSTNAME, it cannot start with '${name[0] as string}'`;
  const bad = [...name].find((ch) => !/[A-Za-z0-9\-._]/.test(ch));
  return bad === undefined ? undefined : `Invalid HOSTNAME, char '${bad}' is not allowed`;
}
