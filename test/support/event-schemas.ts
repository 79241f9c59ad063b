import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../lambdas/provisioning/ports/events';
import { kebab } from '../../lambdas/provisioning/events/catalogue';

/** Folder of the published event schemas. */
export const EVENT_SCHEMA_DIR = join(__dirname, '..', '..', 'docs', 'events');

let validators: Map<string, ValidateFunction> | undefined;

/** The published schema of each detail-type, compiled once per test file. */
function compiled(): Map<string, ValidateFunction> {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    validators = new Map(
      DETAIL_TYPES.map((t) => [t, ajv.compile(JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, `${kebab(t)}.v1.json`), 'utf8')) as object)]),
    );
  }
  return validators;
}

/**
 * Checks events against the schemas in `docs/events/`, as EventBridge
 * delivers them (JSON, so undefined fields vanish). Events of other sources
 * (a user's custom events) are not ours to check. Returns one line per
 * problem; empty when all match.
 */
export function eventSchemaProblems(events: ReadonlyArray<{ source: string; 'detail-type': string }>): string[] {
  const problems: string[] = [];
  for (const event of events) {
    if (event.source !== EVENT_SOURCE) continue;
    const validate = compiled().get(event['detail-type']);
    if (!validate) {
      problems.push(`${event['detail-type']}: no schema for this detail-type`);
      continue;
    }
    const wire = JSON.parse(JSON.stringify(event)) as unknown;
    if (!validate(wire)) {
      problems.push(
        `${event['detail-type']}: ${(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')} in ${JSON.stringify(wire)}`,
      );
    }
  }
  return problems;
}

/** Fails with every problem when an event does not match its schema. */
export function expectEventsMatchSchemas(events: ReadonlyArray<{ source: string; 'detail-type': string }>): void {
  const problems = eventSchemaProblems(events);
  if (problems.length) throw new Error(`events that do not match docs/events/:\n${problems.join('\n')}`);
}
