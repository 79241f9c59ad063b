import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RoleScripts } from '../../lambdas/hostconfig/roles';
import { buildRoleScript } from '../../lambdas/hostconfig/script';
import { readCalls, seedHostRoot, type HostRootOptions } from '../../sandbox/hosts/root';
import { createShimBin } from '../../sandbox/hosts/shim-bin';

const scripts = new RoleScripts();

/** A simulated host root without an SSH server: roles run through local bash, as `bash -s` would on the host. */
export interface LocalHost {
  root: string;
  run(role: string, env?: Record<string, string>): { code: number | null; stdout: string; stderr: string };
  calls(): string[];
  file(path: string): string;
  cleanup(): void;
}

export function localHost(options: HostRootOptions = {}): LocalHost {
  const base = mkdtempSync(join(tmpdir(), 'edge-role-'));
  const root = join(base, 'root');
  const bin = createShimBin(join(base, 'bin'));
  seedHostRoot(root, options);
  return {
    root,
    run(role, env = {}) {
      const out = spawnSync(join(bin, 'bash'), ['-s'], {
        input: buildRoleScript(scripts, role, env),
        env: { PATH: bin, EDGE_ROOT: root, HOME: join(root, 'root'), TMPDIR: join(root, 'tmp') },
        encoding: 'utf8',
      });
      return { code: out.status, stdout: out.stdout, stderr: out.stderr };
    },
    calls: () => readCalls(root),
    file: (path) => readFileSync(join(root, path), 'utf8'),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
