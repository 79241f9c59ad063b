/**
 * Every state-machine Task: the `${Placeholder}` its ASL Resource names and
 * the handler file under `lambdas/handlers/`. The CDK stack makes one function
 * per entry and substitutes its ARN; the sandbox resolves the placeholder to
 * the same file's exported `handler`.
 */
export const TASK_HANDLERS: Readonly<Record<string, string>> = {
  PrepareProvisionFunctionArn: 'prepare-provision',
  CreateNetworkInfraFunctionArn: 'create-network-infra',
  CheckNetworksReadyFunctionArn: 'check-networks-ready',
  AllocateHostFunctionArn: 'allocate-host',
  CheckHostReadyFunctionArn: 'check-host-ready',
  AssignPublicIpsFunctionArn: 'assign-public-ips',
  ConfigureHostFunctionArn: 'configure-host',
  RegisterHostFunctionArn: 'register-host',
  RecordHostFailureFunctionArn: 'record-host-failure',
  ConvergeOverlayFunctionArn: 'converge-overlay',
  FinalizeProvisionFunctionArn: 'finalize-provision',
  CompensateFunctionArn: 'compensate',
  RecordCompensationFailureFunctionArn: 'record-compensation-failure',
  CheckDeletableFunctionArn: 'check-deletable',
  DeregisterHostFunctionArn: 'deregister-host',
  ReleaseHostFunctionArn: 'release-host',
  DeleteNetworkInfraFunctionArn: 'delete-network-infra',
  FinalizeDeleteFunctionArn: 'finalize-delete',
  RecordDeleteFailureFunctionArn: 'record-delete-failure',
};

/** The state machines, by file under `statemachines/`. */
export const MACHINES = {
  'create-provision': 'create-provision.asl.json',
  'delete-provision': 'delete-provision.asl.json',
} as const;
