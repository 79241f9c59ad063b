import { DescribeImagesCommand, type EC2Client, type Image } from '@aws-sdk/client-ec2';
import { ProviderConfigError } from '../../../shared/errors';
import { ec2Call } from './errors';
import { architectureOf } from './instance-types';

/** Canonical's AWS account, owner of the official Ubuntu images. */
export const CANONICAL_OWNER = '099720109477';

/** What RunInstances needs to know about an image. */
export interface ResolvedImage {
  imageId: string;
  /** Device of the root volume, needed to resize it (`/dev/sda1` on Ubuntu). */
  rootDeviceName?: string;
}

/**
 * Resolves the host image: an explicit AMI id is described (which also checks
 * it exists in the region); `default` or nothing means the newest Ubuntu
 * 24.04 LTS server image from Canonical for the instance type's architecture,
 * as oneprovision's `default` meant the current Ubuntu LTS.
 */
export async function resolveImage(ec2: EC2Client, ami: string | undefined, instanceType: string): Promise<ResolvedImage> {
  if (ami && ami !== 'default') {
    if (!/^ami-[0-9a-f]+$/.test(ami)) throw new ProviderConfigError(`ami '${ami}' is not an AMI id (ami-…)`);
    const out = await ec2Call('DescribeImages', () => ec2.send(new DescribeImagesCommand({ ImageIds: [ami] })));
    const image = out.Images?.[0];
    if (!image) throw new ProviderConfigError(`ami '${ami}' does not exist in this region or is not shared with the account`);
    return toResolved(image);
  }
  const arch = architectureOf(instanceType);
  const out = await ec2Call('DescribeImages', () =>
    ec2.send(
      new DescribeImagesCommand({
        Owners: [CANONICAL_OWNER],
        Filters: [
          { Name: 'name', Values: [`ubuntu/images/*/ubuntu-noble-24.04-${arch === 'arm64' ? 'arm64' : 'amd64'}-server-*`] },
          { Name: 'architecture', Values: [arch] },
          { Name: 'state', Values: ['available'] },
        ],
      }),
    ),
  );
  const newest = [...(out.Images ?? [])].sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
  if (!newest) throw new ProviderConfigError(`no Ubuntu 24.04 ${arch} image found in this region; set 'ami' on the hosts`);
  return toResolved(newest);
}

function toResolved(image: Image): ResolvedImage {
  return { imageId: image.ImageId ?? '', ...(image.RootDeviceName ? { rootDeviceName: image.RootDeviceName } : {}) };
}
