/** Elastic IPs an AWS account may hold per region unless raised. */
export const DEFAULT_ELASTIC_IP_QUOTA = 5;

/** Service Quotas code of 'EC2-VPC Elastic IPs'. */
export const ELASTIC_IP_QUOTA_CODE = 'L-0263D0A3';

/** Quota name carried by ProviderQuotaError for Elastic IPs. */
export const ELASTIC_IP_QUOTA = 'ec2.elastic-ips';

/** What a number of new Elastic IPs needs from the region's quota. */
export interface ElasticIpQuotaPlan {
  region: string;
  /** New addresses asked for. */
  requested: number;
  /** Addresses the account already holds in the region. */
  inUse: number;
  /** The quota the region must have: in use plus requested. */
  required: number;
  /** The quota assumed (the default 5 unless known). */
  quota: number;
  sufficient: boolean;
  /** One line for the user, with what to raise where when insufficient. */
  message: string;
}

/**
 * Pure check of the Elastic IP quota, shared by the IPAM (before it
 * allocates) and the `plan` verb (before anything is created): given how
 * many addresses a provision needs in a region, what quota that takes.
 */
export function planElasticIpQuota(input: { count: number; region: string; inUse?: number; quota?: number }): ElasticIpQuotaPlan {
  const inUse = input.inUse ?? 0;
  const quota = input.quota ?? DEFAULT_ELASTIC_IP_QUOTA;
  const required = inUse + input.count;
  const sufficient = required <= quota;
  const need = `${required} Elastic IP${required === 1 ? '' : 's'} needed in ${input.region} (${inUse} in use + ${input.count} requested)`;
  const message = sufficient
    ? `${need}, within the quota of ${quota}`
    : `${need} but the quota is ${quota}: raise 'EC2-VPC Elastic IPs' (${ELASTIC_IP_QUOTA_CODE}) in Service Quotas for ${input.region} to at least ${required}, or release unused addresses`;
  return { region: input.region, requested: input.count, inUse, required, quota, sufficient, message };
}
