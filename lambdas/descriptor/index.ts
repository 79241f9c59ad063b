/**
 * Provision descriptors: oneprovision 5.12 / 6.x templates and the native
 * form, loaded into a typed {@link ProvisionPlan} with located errors.
 */
export { loadDescriptorFile, loadDescriptorText, loadDescriptorValue } from './load';
export { formatDescriptorError } from './format';
export { substituteProvisionId } from '../provisioning/provision-id';
export { PROVISION_ID_PLACEHOLDER } from './placeholders';
export { MemorySecretStore } from './memory-secret-store';
export { estimatePlan } from './quota';
export type { CreateStep, PlanEstimate, QuotaNeed } from './quota';
export type { DescriptorError, DescriptorErrorCode, DescriptorFs, LoadOptions, LoadResult, LoadTextOptions } from './types';
export type { ProvisionPlan } from '../provisioning/plan';
