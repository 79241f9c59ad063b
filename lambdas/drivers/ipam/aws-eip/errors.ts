/** Named errors of the Elastic IP IPAM: EC2's answers mapped as the AWS provider maps them. */
export { mapEc2Error, ec2Call } from '../../providers/aws-ec2/errors';
export { IpamExhaustedError } from '../../../shared/errors';
