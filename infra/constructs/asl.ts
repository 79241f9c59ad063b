import { readFileSync } from 'node:fs';

/** `${Name}` as Step Functions `DefinitionSubstitutions` replaces it. */
const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** Every distinct `${Placeholder}` name in an ASL definition, sorted. */
export function aslPlaceholders(definition: string): string[] {
  return [...new Set([...definition.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

/** Placeholders of an ASL file on disk. */
export function aslFilePlaceholders(file: string): string[] {
  return aslPlaceholders(readFileSync(file, 'utf8'));
}

/**
 * Maps every placeholder of a definition to its value. A placeholder without
 * a value is an error, not a silently unsubstituted `${…}` that would only
 * fail when the Task runs in AWS.
 */
export function substitutionsFor(
  source: string,
  placeholders: readonly string[],
  valueOf: (placeholder: string) => string | undefined,
): Record<string, string> {
  const missing = placeholders.filter((p) => valueOf(p) === undefined);
  if (missing.length > 0) {
    throw new Error(`${source}: no function for placeholder(s) ${missing.map((m) => `\${${m}}`).join(', ')}; add them to TASK_HANDLERS`);
  }
  return Object.fromEntries(placeholders.map((p) => [p, valueOf(p) as string]));
}

/** Replaces placeholders like CloudFormation does; unknown names stay as they are. */
export function substitute(definition: string, values: Readonly<Record<string, string>>): string {
  return definition.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}
