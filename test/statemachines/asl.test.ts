import aslValidator from 'asl-validator';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MACHINES, TASK_HANDLERS } from '../../lambdas/handlers/task-handlers';
import { NAMED_ERRORS } from '../../lambdas/shared/errors';
import { ONE_ERROR_NAMES } from '../../lambdas/opennebula/errors';
import { allStates, loadDefinition, placeholderOf, STATEMACHINES_DIR, type AslDefinition } from '../../sandbox/definitions';

const files = readdirSync(STATEMACHINES_DIR).filter((f) => f.endsWith('.asl.json'));
const machines = Object.keys(MACHINES) as Array<keyof typeof MACHINES>;
/** Error names AWS itself raises in a Lambda task. */
const AWS_NAMES = /^(States\.[A-Za-z]+|Lambda\.[A-Za-z]+)$/;

describe('state machine definitions', () => {
  it('lists every ASL file of statemachines/ as a machine', () => {
    expect(files.sort()).toEqual(Object.values(MACHINES).sort());
  });

  it.each(machines)('%s passes asl-validator', (machine) => {
    const result = aslValidator(loadDefinition(machine), { checkArn: true, checkPaths: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it.each(machines)('%s is JSONPath only (the local runner ignores JSONata silently)', (machine) => {
    const text = JSON.stringify(loadDefinition(machine));
    expect(text).not.toMatch(/JSONata|"Arguments"|"Assign"|"Output"/);
  });

  it.each(machines)('%s names every Task resource as a ${Placeholder} backed by a handler file', (machine) => {
    const tasks = allStates(loadDefinition(machine)).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(0);
    for (const [name, state] of tasks) {
      const placeholder = placeholderOf(state.Resource);
      expect({ name, placeholder }).toEqual({ name, placeholder: expect.stringMatching(/FunctionArn$/) });
      const file = TASK_HANDLERS[placeholder as string];
      expect({ name, file }).toEqual({ name, file: expect.any(String) });
      expect(existsSync(join(__dirname, '..', '..', 'lambdas', 'handlers', `${file}.ts`))).toBe(true);
    }
  });

  it.each(machines)('%s only matches error names that exist as error classes', (machine) => {
    const known = new Set([...NAMED_ERRORS, ...ONE_ERROR_NAMES]);
    const names = new Set<string>();
    const collect = (def: AslDefinition) => {
      for (const [, s] of allStates(def)) {
        for (const block of [
          ...((s['Retry'] as Array<{ ErrorEquals: string[] }>) ?? []),
          ...((s['Catch'] as Array<{ ErrorEquals: string[] }>) ?? []),
        ]) {
          block.ErrorEquals.forEach((n) => names.add(n));
        }
      }
    };
    collect(loadDefinition(machine));
    const unknown = [...names].filter((n) => !known.has(n) && !AWS_NAMES.test(n));
    expect(unknown).toEqual([]);
  });

  it('has no TASK_HANDLERS entry that no machine uses', () => {
    const used = new Set(
      machines.flatMap((m) =>
        allStates(loadDefinition(m))
          .map(([, s]) => placeholderOf(s.Resource))
          .filter(Boolean),
      ),
    );
    expect(Object.keys(TASK_HANDLERS).filter((p) => !used.has(p))).toEqual([]);
  });

  it('every handler file exports a handler function', () => {
    for (const file of new Set(Object.values(TASK_HANDLERS))) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(__dirname, '..', '..', 'lambdas', 'handlers', file)) as { handler?: unknown };
      expect({ file, type: typeof mod.handler }).toEqual({ file, type: 'function' });
    }
  });
});
