import { okString } from '../results';
import type { MethodSpec } from './spec';

/** `one.system.version`. */
export const systemMethods: Record<string, MethodSpec> = {
  'one.system.version': {
    params: [],
    run: (engine) => okString(engine.options.version),
  },
};
