export { startSimOned, type SeedVmOptions, type SimCall, type SimOned, type SimOnedOptions } from './server';
export { SimFaults, type FaultAction } from './faults';
export type { SimState } from './state';
