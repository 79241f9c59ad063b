import type { MachineName } from '../provisioning/ports/workflow';

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
  BeginOperationFunctionArn: 'begin-operation',
  FinishOperationFunctionArn: 'finish-operation',
  FailOperationFunctionArn: 'fail-operation',
  CompensateScaleOutFunctionArn: 'compensate-scale-out',
  DrainHostFunctionArn: 'drain-host',
  RestoreHostFunctionArn: 'restore-host',
  StartHostActionFunctionArn: 'start-host-action',
  CheckHostActionFunctionArn: 'check-host-action',
  AddPublicIpsFunctionArn: 'add-public-ips',
  RemovePublicIpFunctionArn: 'remove-public-ip',
  CompensateIpActionFunctionArn: 'compensate-ip-action',
};

/** The state machines, by file under `statemachines/`. */
export const MACHINES = {
  'create-provision': 'create-provision.asl.json',
  'delete-provision': 'delete-provision.asl.json',
  'scale-provision': 'scale-provision.asl.json',
  'host-action': 'host-action.asl.json',
  'ip-action': 'ip-action.asl.json',
  'configure-provision': 'configure-provision.asl.json',
} as const satisfies Record<MachineName, string>;
