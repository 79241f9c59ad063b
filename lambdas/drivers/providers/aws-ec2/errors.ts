import {
  EdgeError,
  InvalidStateError,
  NotFoundError,
  ProviderAuthError,
  ProviderCapacityError,
  ProviderConfigError,
  ProviderQuotaError,
  ProviderThrottledError,
  ProviderTransientError,
} from '../../../shared/errors';

/** Quota names reported by {@link ProviderQuotaError} for EC2 limit codes. */
export const EC2_QUOTAS: Readonly<Record<string, string>> = {
  VcpuLimitExceeded: 'ec2.vcpus',
  InstanceLimitExceeded: 'ec2.instances',
  AddressLimitExceeded: 'ec2.elastic-ips',
  PrivateIpAddressLimitExceeded: 'ec2.private-ips-per-interface',
  VpcLimitExceeded: 'ec2.vpcs',
  InternetGatewayLimitExceeded: 'ec2.internet-gateways',
  SecurityGroupLimitExceeded: 'ec2.security-groups',
  RulesPerSecurityGroupLimitExceeded: 'ec2.rules-per-security-group',
  RouteTableLimitExceeded: 'ec2.route-tables',
  RouteLimitExceeded: 'ec2.routes-per-table',
};

/** What to do about each quota, in terms an operator can act on. */
const QUOTA_HINTS: Readonly<Record<string, string>> = {
  'ec2.vcpus': "raise 'Running On-Demand Standard instances' (vCPUs) in Service Quotas",
  'ec2.instances': 'raise the instance limit in Service Quotas',
  'ec2.elastic-ips': "raise 'EC2-VPC Elastic IPs' (L-0263D0A3) in Service Quotas",
};

const THROTTLED = new Set([
  'RequestLimitExceeded',
  'RequestResourceCountExceeded',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
]);

const CAPACITY = new Set([
  'InsufficientInstanceCapacity',
  'InsufficientHostCapacity',
  'InsufficientCapacity',
  'InsufficientReservedInstanceCapacity',
  // The instance type is not offered in the chosen availability zone: another zone or type helps.
  'Unsupported',
]);

const AUTH = new Set([
  'AuthFailure',
  'UnauthorizedOperation',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'OptInRequired',
  'Blocked',
  'PendingVerification',
  'ExpiredToken',
  'RequestExpired',
  'MissingAuthenticationToken',
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'CredentialsProviderError',
]);

const TRANSIENT = new Set([
  'InternalError',
  'InternalFailure',
  'ServerInternal',
  'Unavailable',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  // Instances still terminating hold ENIs in the VPC; the retry after they are gone succeeds.
  'DependencyViolation',
]);

const CONFLICT = new Set([
  'IdempotentParameterMismatch',
  'IncorrectInstanceState',
  'IncorrectState',
  'Resource.AlreadyAssociated',
  'InvalidIPAddress.InUse',
]);

/** Node socket errors: the request may or may not have reached EC2. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** The EC2 error code of a thrown value (`InvalidInstanceID.NotFound`), or undefined. */
export function ec2ErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as SdkErrorShape;
  return e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined);
}

/** True for `*.NotFound` and malformed-id errors: the resource does not exist. */
export function isEc2NotFound(err: unknown): boolean {
  const code = ec2ErrorCode(err) ?? '';
  return /\.NotFound$/.test(code) || /^Invalid[A-Za-z]+ID\.Malformed$/.test(code);
}

/**
 * Maps an EC2 SDK error to the project's named errors, which the state
 * machines retry (throttling, capacity, transient) or not (auth, quota,
 * configuration, conflicts). Errors that are not from AWS (programming
 * errors) are returned unchanged.
 */
export function mapEc2Error(err: unknown, action: string): Error {
  if (err instanceof EdgeError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const code = ec2ErrorCode(err) ?? 'UnknownError';
  const request = e.$metadata?.requestId ? ` (request ${e.$metadata.requestId})` : '';
  const message = `EC2 ${action} failed: ${code}: ${e.message ?? String(err)}${request}`;
  const options = { cause: err };

  if (THROTTLED.has(code)) return new ProviderThrottledError(message, options);
  if (CAPACITY.has(code)) return new ProviderCapacityError(message, options);
  if (AUTH.has(code)) return new ProviderAuthError(message, options);
  if (code !== 'RequestLimitExceeded' && code.endsWith('LimitExceeded')) {
    const quota = EC2_QUOTAS[code] ?? `ec2.${kebab(code.slice(0, -'LimitExceeded'.length))}`;
    const hint = QUOTA_HINTS[quota];
    return new ProviderQuotaError(hint ? `${message}; ${hint}` : message, quota);
  }
  if (TRANSIENT.has(code) || e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return new ProviderTransientError(message, options);
  }
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return new ProviderTransientError(message, options);
  if (isEc2NotFound(err)) return new NotFoundError(message, options);
  if (CONFLICT.has(code)) return new InvalidStateError(message, options);
  if (/^(Invalid|Missing|Unknown)/.test(code) || code === 'ValidationError') return new ProviderConfigError(message, options);
  if (e.$fault === 'client') return new EdgeError(message, options);
  return err instanceof Error ? err : new EdgeError(message, options);
}

/** Runs one EC2 call and maps its failure to a named error. */
export async function ec2Call<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw mapEc2Error(err, action);
  }
}

/** Like {@link ec2Call}, but a not-found error yields `undefined`: on release paths, gone is success. */
export async function ec2CallUnlessGone<T>(action: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isEc2NotFound(err)) return undefined;
    throw mapEc2Error(err, action);
  }
}

function kebab(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
