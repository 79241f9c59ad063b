import type { RoleContext } from '../provisioning/ports/host-configurator';
import { HostUnreachableError, RoleFailedError, UnsupportedOsError } from '../shared/errors';

function attach<E extends Error>(err: E, role: string, lastLines: string[]): E & RoleContext {
  return Object.assign(err, { role, lastLines });
}

function tailText(lastLines: string[]): string {
  const last = lastLines.filter((line) => line.trim().length > 0).slice(-3);
  return last.length > 0 ? `; last output: ${last.join(' | ')}` : '';
}

/** The connection ended while a role ran (retryable: the role is idempotent). */
export function roleInterrupted(host: string, role: string, lastLines: string[], cause?: Error): HostUnreachableError & RoleContext {
  const err = new HostUnreachableError(
    `connection to ${host} lost during role ${role}${cause ? ` (${cause.message})` : ''}${tailText(lastLines)}`,
    { cause },
  );
  return attach(err, role, lastLines);
}

/** The OS check refused the host. */
export function unsupportedOs(host: string, role: string, lastLines: string[]): UnsupportedOsError & RoleContext {
  const line = [...lastLines].reverse().find((text) => text.includes('unsupported OS')) ?? 'unsupported OS';
  return attach(new UnsupportedOsError(`${host}: ${line.replace(/^error: /, '')}`), role, lastLines);
}

/** A role exited non-zero (or ended without reporting a result). */
export function roleFailed(host: string, role: string, exitCode: number, lastLines: string[]): RoleFailedError {
  const what = exitCode === 0 ? 'ended without reporting a result' : `failed with exit code ${exitCode}`;
  return new RoleFailedError(`role ${role} ${what} on ${host}${tailText(lastLines)}`, role, exitCode, lastLines);
}
