/** Characters `PoolObjectSQL::INVALID_NAME_CHARS` refuses in object names. */
const INVALID_NAME_CHARS = '&|:\\";/\'#{}$<>\t\r\n\v\f';

/** oned's object name check; returns the error detail or undefined when valid. */
export function invalidName(name: string): string | undefined {
  if (name.length === 0) return 'Invalid NAME, it cannot be empty';
  if (name.length > 128) return 'Invalid NAME, max length is 128 chars';
  for (const ch of name) if (INVALID_NAME_CHARS.includes(ch)) return `Invalid NAME, char '${ch}' is not allowed`;
  return undefined;
}

/** `hostname_is_valid` of HostPool.cc, then the generic name check, with oned's messages. */
export function invalidHostname(name: string): string | undefined {
  if (name.length < 2 || name.length > 63) {
    return 'Invalid HOSTNAME, HOSTNAME length should be greater than 1, but smaller than 64 characters';
  }
  const first = name[0] as string;
  if ('-._'.includes(first)) return `Invalid HOSTNAME, first character can't be '${first}'`;
  const bad = [...name].find((ch) => !/[A-Za-z0-9\-._]/.test(ch));
  if (bad !== undefined) return `Invalid HOSTNAME, '${bad}' is invalid character for a HOSTNAME`;
  const last = name[name.length - 1] as string;
  if ('-._'.includes(last)) return `Invalid HOSTNAME, last character can't be '${last}'`;
  return invalidName(name);
}
