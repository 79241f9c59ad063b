import { clusterMethods } from './cluster';
import { datastoreMethods } from './datastore';
import { hostMethods } from './host';
import { imageMethods } from './image';
import type { MethodSpec } from './spec';
import { systemMethods } from './system';
import { templateMethods } from './templates';
import { vmMethods } from './vm';
import { vnetMethods } from './vnet';

export type { MethodSpec, ParamType } from './spec';

/** Every method the simulated oned answers; anything else is XML-RPC fault -506. */
export const METHODS: Readonly<Record<string, MethodSpec>> = {
  ...systemMethods,
  ...clusterMethods,
  ...hostMethods,
  ...datastoreMethods,
  ...vnetMethods,
  ...vmMethods,
  ...imageMethods,
  ...templateMethods,
};
