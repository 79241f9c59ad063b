import type { RoleScripts } from './roles';

const ENV_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Quotes a value for bash: inside single quotes nothing is special, and a
 * single quote is closed, escaped and reopened. Safe for any string without NUL.
 */
export function shellQuote(value: string): string {
  if (value.includes('\u0000')) throw new Error('a shell value cannot contain NUL');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME='value'` lines for the given environment, names checked. */
export function renderPrelude(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([name, value]) => {
      if (!ENV_NAME.test(name)) throw new Error(`invalid environment name ${JSON.stringify(name)}`);
      return `export ${name}=${shellQuote(value)}`;
    })
    .join('\n');
}

/**
 * The text sent on stdin to `bash -s` for one role: exported parameters, the
 * helper library and the role body, all inside one function called with stdin
 * from /dev/null. Bash reads a function definition whole before running
 * anything, so a script cut short in transit never runs half-way, and no
 * command of the role can read the rest of the script as its input.
 */
export function buildRoleScript(scripts: RoleScripts, role: string, env: Readonly<Record<string, string>>): string {
  return [
    '# edge-provisioner role script',
    renderPrelude({ ...env, EDGE_ROLE: role }),
    '__edge_role() {',
    scripts.library(),
    scripts.body(role),
    '}',
    '__edge_role </dev/null',
    '',
  ].join('\n');
}
