import * as z from '../../../shared/schema';

const numeric = z.string().check(z.regex(/^\d+$/, 'must be a whole number'));
const flag = z.enum(['true', 'false']);

/**
 * Connection keys of the AWS drivers (provider settings merged with the
 * referenced secret). Only `region` is required: without keys the SDK's
 * default credential chain is used (the Lambda role in AWS).
 */
export const awsConnectionSchema = z
  .looseObject({
    region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as eu-central-1')),
    access_key: z.optional(z.string().check(z.minLength(16))),
    secret_key: z.optional(z.string().check(z.minLength(16))),
    session_token: z.optional(z.string()),
    /** Custom EC2 endpoint (an AWS-compatible emulator); normally unset. */
    endpoint: z.optional(z.url()),
    /** Use this subnet instead of creating a VPC per provision. */
    subnet_id: z.optional(z.string().check(z.regex(/^subnet-[0-9a-f]+$/, 'must be a subnet id (subnet-…)'))),
    /** CIDR of the VPC created per provision (oneprovision's default). */
    vpc_cidr: z.optional(z.cidrv4()),
    /** Zone of the subnet created per provision, where the instance types are offered. */
    availability_zone: z.optional(
      z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/, 'must be an availability zone such as eu-central-1a')),
    ),
    /** Sources allowed to reach SSH (22/tcp); BGP and VXLAN are open only between the provision's hosts. */
    ssh_cidr: z.optional(z.cidrv4()),
    /** Existing EC2 key pair; the runner's key is always injected through cloud-init as well. */
    key_name: z.optional(z.string().check(z.minLength(1))),
    /** Defaults for hosts whose plan does not say. */
    instance_type: z.optional(z.string().check(z.minLength(1))),
    ami: z.optional(z.string().check(z.minLength(1))),
    /** Wait for both EC2 status checks before reporting a host running (default true). */
    status_checks: z.optional(flag),
    /** Elastic IP quota of the account in the region, when known better than EC2 reports it. */
    eip_quota: z.optional(numeric),
  })
  .check(
    z.refine((c) => (c.access_key === undefined) === (c.secret_key === undefined), {
      message: 'access_key and secret_key must be given together',
      path: ['secret_key'],
    }),
  );

/** Parsed AWS connection. */
export type AwsConnection = z.infer<typeof awsConnectionSchema>;

/** Parses a connection the registry already validated. */
export function parseAwsConnection(connection: Record<string, string>): AwsConnection {
  return awsConnectionSchema.parse(connection);
}
