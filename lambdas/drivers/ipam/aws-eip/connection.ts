/** The Elastic IP IPAM uses the AWS provider's connection (region, credentials, `eip_quota`). */
export { awsConnectionSchema, parseAwsConnection, type AwsConnection } from '../../providers/aws-ec2/connection';
