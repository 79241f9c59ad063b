import { html, type Html } from '../html';

/** How a state reads at a glance; each has its colour, and the state's name is always written out too. */
export type StateTone = 'ok' | 'busy' | 'warn' | 'bad' | 'gone' | 'idle';

const TONES: Record<string, StateTone> = {
  RUNNING: 'ok',
  PENDING: 'idle',
  PROVISIONING: 'busy',
  SCALING: 'busy',
  DELETING: 'busy',
  ALLOCATING: 'busy',
  BOOTING: 'busy',
  CONFIGURING: 'busy',
  REGISTERING: 'busy',
  POWERING_OFF: 'busy',
  REBOOTING: 'busy',
  DRAINING: 'busy',
  RELEASING: 'busy',
  DEGRADED: 'warn',
  OFF: 'warn',
  ERROR: 'bad',
  FAILED: 'bad',
  DELETED: 'gone',
  RELEASED: 'gone',
  SUCCEEDED: 'ok',
  REFUSED: 'warn',
  INTERRUPTED: 'warn',
};

/** The tone of a provision or host state. */
export function toneOf(state: string): StateTone {
  return TONES[state] ?? 'idle';
}

/** A state badge: colour for the eye, the state's name for everyone (and for screen readers). */
export function stateBadge(state: string): Html {
  return html`<span class="state tone-${toneOf(state)}" data-state="${state}">${state}</span>`;
}

/** "42 s", "5 min", "3 h", "2 d": how long ago `iso` was, seen from `now`. */
export function age(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(s)) return '-';
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** A `<time>` element showing the age, with the exact instant as its machine value and tooltip. */
export function ageTime(iso: string, now: number): Html {
  return html`<time datetime="${iso}" title="${iso}">${age(iso, now)}</time>`;
}

/** Seconds with two decimals, for durations measured in ms. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
