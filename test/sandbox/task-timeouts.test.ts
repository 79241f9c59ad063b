import { loadDefinition, allStates } from '../../sandbox/definitions';
import { TASK_TIMEOUT_SECONDS, withTaskTimeouts } from '../../sandbox/workflow-runner';

describe('withTaskTimeouts', () => {
  it('gives every Task without a timeout the Lambda limit instead of the local engine’s 60 s, and keeps the file as it is', () => {
    const def = loadDefinition('create-provision');
    const run = withTaskTimeouts(def);
    const tasks = allStates(run).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(5);
    for (const [, state] of tasks) expect(state['TimeoutSeconds'] ?? state['TimeoutSecondsPath']).toBeDefined();
    expect(allStates(run).find(([name]) => name === 'ConfigureHost')?.[1]['TimeoutSeconds']).toBe(TASK_TIMEOUT_SECONDS);
    expect(allStates(def).find(([name]) => name === 'ConfigureHost')?.[1]['TimeoutSeconds']).toBeUndefined();
  });
});
