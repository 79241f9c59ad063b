/** Simulated SSH hosts for the sandbox and tests. */
export { createSimHostFleet, type LocalSimHostFleet, type SimHostEndpoint, type SimHostFleet, type SimHostFleetOptions } from './fleet';
export { OS_RELEASES, type OsName } from './os-release';
export { failCommand, healCommand, readCalls, readFdbPeers, seedHostRoot, type HostRootOptions } from './root';
export { createShimBin, PASSTHROUGH_TOOLS, SHIMMED_COMMANDS } from './shim-bin';
export { startSimHost, type SimHost, type SimHostFaults, type SimHostOptions } from './sim-host';
