import { execFile } from 'node:child_process';
import { ProviderTransientError } from '../../../shared/errors';

/** Power actions an on-prem hook may be asked for. */
export type PowerAction = 'poweroff' | 'reboot' | 'resume';

/** The machine a power action is for. */
export interface PowerTarget {
  providerId: string;
  name: string;
  address: string;
  port: number;
}

/** Performs a power action on an owned machine (IPMI, a PDU, a hypervisor API...). */
export type PowerHook = (action: PowerAction, target: PowerTarget) => Promise<void>;

/**
 * A hook that runs an operator-configured command as
 * `<command> <action> <address> <name>`, without a shell, so no host
 * name or address can inject anything. It is configured by whoever deploys
 * the system (registry deps), never by a provision's settings, because those
 * come from API callers.
 */
export function commandPowerHook(command: string, timeoutMs = 60_000): PowerHook {
  return (action, target) =>
    new Promise((resolve, reject) => {
      execFile(command, [action, target.address, target.name], { timeout: timeoutMs }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        const detail = String(stderr).trim().split('\n').slice(-3).join(' | ');
        reject(
          new ProviderTransientError(`power hook '${action}' for ${target.name} failed: ${err.message}${detail ? `: ${detail}` : ''}`),
        );
      });
    });
}
