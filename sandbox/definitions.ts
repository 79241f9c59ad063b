import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MACHINES } from '../lambdas/handlers/task-handlers';
import type { MachineName } from '../lambdas/provisioning/ports/workflow';

/** Folder of the ASL files, resolved from this module (not the working directory). */
export const STATEMACHINES_DIR = join(__dirname, '..', 'statemachines');

/** A state machine definition as JSON. */
export type AslDefinition = { StartAt: string; States: Record<string, AslState> } & Record<string, unknown>;
/** One state of a definition (only the fields the sandbox looks at are typed). */
export type AslState = {
  Type: string;
  Resource?: string;
  ItemProcessor?: AslDefinition;
  Iterator?: AslDefinition;
  Branches?: AslDefinition[];
} & Record<string, unknown>;

/** Loads a machine's ASL file as deployed (placeholders left in place). */
export function loadDefinition(machine: MachineName): AslDefinition {
  return JSON.parse(readFileSync(join(STATEMACHINES_DIR, MACHINES[machine]), 'utf8')) as AslDefinition;
}

/** Every state of a definition, including those inside Map and Parallel states. */
export function allStates(def: AslDefinition): Array<[string, AslState]> {
  const out: Array<[string, AslState]> = [];
  for (const [name, state] of Object.entries(def.States)) {
    out.push([name, state]);
    for (const inner of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) if (inner) out.push(...allStates(inner));
  }
  return out;
}

/**
 * The top-level states a machine reaches only once it failed: the targets of
 * its top-level Catch blocks and everything after them (compensation, failure
 * records). An execution interrupted there was already failing.
 */
export function failurePathStates(def: AslDefinition): Set<string> {
  const out = new Set<string>();
  const queue = Object.values(def.States).flatMap((s) => ((s['Catch'] as Array<{ Next: string }> | undefined) ?? []).map((c) => c.Next));
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (out.has(name)) continue;
    out.add(name);
    const state = def.States[name];
    if (!state) continue;
    if (typeof state['Next'] === 'string') queue.push(state['Next']);
    for (const c of (state['Catch'] as Array<{ Next: string }> | undefined) ?? []) queue.push(c.Next);
  }
  return out;
}

/** The `${Placeholder}` name of a Task Resource, if it is one. */
export function placeholderOf(resource: string | undefined): string | undefined {
  return /^\$\{([A-Za-z0-9_]+)\}$/.exec(resource ?? '')?.[1];
}
