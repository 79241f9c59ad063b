const UNIT_SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** Longest TTL accepted: a year. */
export const MAX_TTL_SECONDS = 366 * 86400;

/**
 * Parses a duration such as `8h`, `90m`, `1h30m`, `2d` or `30s` (a bare
 * number is seconds) into seconds; undefined when it is not one.
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const text = value.trim().toLowerCase();
  if (/^\d+$/.test(text)) return Number(text) > 0 ? Number(text) : undefined;
  const parts = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.replace(/\s+/g, ''));
  if (!parts || text === '') return undefined;
  const [, w, d, h, m, s] = parts;
  const total = [w, d, h, m, s].reduce<number>(
    (sum, n, i) => sum + (n ? Number(n) * (UNIT_SECONDS[['w', 'd', 'h', 'm', 's'][i] ?? 's'] ?? 1) : 0),
    0,
  );
  return total > 0 ? total : undefined;
}
