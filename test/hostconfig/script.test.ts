import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RoleScripts } from '../../lambdas/hostconfig/roles';
import { buildRoleScript, renderPrelude, shellQuote } from '../../lambdas/hostconfig/script';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-quote-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hostile = (marker: string) => [
  '"; rm -rf / #',
  `$(touch ${marker})`,
  `\`touch ${marker}\``,
  `a'; touch ${marker}; echo '`,
  `line1\ntouch ${marker}\nline3`,
  `\${IFS}$(touch${'${IFS}'}${marker})`,
  'it\'s \\ a "mix" of $HOME and ${PATH} and !! and *',
];

describe('shellQuote', () => {
  it('hands bash every hostile value back verbatim without running any of it', () => {
    const marker = join(dir, 'pwned-quote');
    for (const value of hostile(marker)) {
      const out = spawnSync('bash', ['-c', `printf '%s' ${shellQuote(value)}`], { encoding: 'utf8' });
      expect(out.stdout).toBe(value);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses NUL, which no shell word can hold', () => {
    expect(() => shellQuote('a\u0000b')).toThrow(/NUL/);
  });
});

describe('renderPrelude', () => {
  it('exports hostile values as plain data', () => {
    const marker = join(dir, 'pwned-prelude');
    const values = hostile(marker);
    const env = Object.fromEntries(values.map((value, i) => [`V${i}`, value]));
    const script = `${renderPrelude(env)}\n${values.map((_, i) => `printf '%s\\0' "$V${i}"`).join('\n')}\n`;
    const out = spawnSync('bash', ['-s'], { input: script, encoding: 'utf8' });
    expect(out.stdout.split('\u0000').slice(0, -1)).toEqual(values);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses names that are not plain environment names', () => {
    expect(() => renderPrelude({ 'A;touch x': 'v' })).toThrow(/invalid environment name/);
    expect(() => renderPrelude({ lower: 'v' })).toThrow(/invalid environment name/);
  });
});

describe('buildRoleScript', () => {
  it('runs nothing when the script is cut short in transit', () => {
    const marker = join(dir, 'half-run');
    const script = buildRoleScript(new RoleScripts(), 'facts', { EDGE_ROLE_TEST: 'x' }).replace(
      '__edge_role() {',
      `__edge_role() {\ntouch ${marker}`,
    );
    const half = script.slice(0, Math.floor(script.length / 2));
    spawnSync('bash', ['-s'], { input: half, encoding: 'utf8' });
    expect(existsSync(marker)).toBe(false);
  });

  it('keeps role commands from reading the script as their input', () => {
    const scripts = { library: () => '', body: () => 'cat; echo "EDGE_RESULT unchanged"' } as unknown as RoleScripts;
    const out = spawnSync('bash', ['-s'], { input: `${buildRoleScript(scripts, 'facts', {})}echo leaked\n`, encoding: 'utf8' });
    expect(out.stdout).toContain('EDGE_RESULT unchanged');
    expect(out.stdout).toContain('leaked');
    expect(out.stdout).not.toContain('__edge_role');
  });
});
