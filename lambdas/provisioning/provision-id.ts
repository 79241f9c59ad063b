import type { ProvisionPlan } from './plan';

/** The placeholder a plan keeps until its provision id exists. */
export const PROVISION_ID_PLACEHOLDER = '${provision_id}';

/**
 * Replaces the `${provision_id}` placeholder left in a plan loaded without a
 * provision id (the id is allocated after validation). Pure: it validates nothing.
 */
export function substituteProvisionId(plan: ProvisionPlan, provisionId: string): ProvisionPlan {
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') return value.split(PROVISION_ID_PLACEHOLDER).join(provisionId);
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    }
    return value;
  };
  return replace(plan) as ProvisionPlan;
}
