import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';

/**
 * A new EC2 client. Its own module, loaded with the first AWS driver: a
 * static named import keeps the bundle to the client (commands are imported
 * by the drivers that send them), where a dynamic import of the SDK package
 * would keep every command of it.
 */
export function newEc2Client(config: EC2ClientConfig): EC2Client {
  return new EC2Client(config);
}
