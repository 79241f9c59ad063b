/** Host configuration over SSH: the runner, its roles and helpers. */
export type {
  ConfigureRequest,
  ConfigureResult,
  HostConfigurator,
  HostTarget,
  OverlaySettings,
  RoleOutputLine,
} from '../provisioning/ports/host-configurator';
export { createSshHostConfigurator, type SshHostConfigurator, type SshHostConfiguratorOptions } from './configurator';
export { resumeRole, type RoleContext } from '../provisioning/ports/host-configurator';
export { formatHostKey, hostKeyFingerprint, hostKeyMatches } from './hostkey';
export { generateSshKeyPair, type SshKeyPair } from './keys';
export { PARAMS, validateParams } from './params';
export { DEFAULT_ROLES_DIR, OVERLAY_ROLE, ROLES, ROLE_NAMES } from './roles';
export { privateKeyFromSecret } from './secrets';
