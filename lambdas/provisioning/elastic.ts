import { IpamExhaustedError } from '../shared/errors';
import type { AddressRangePlan } from './plan';
import type { IpLease } from './ports/ipam';

const toInt = (ip: string): number => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
const isIpv4 = (ip: string): boolean => /^(\d{1,3})(\.\d{1,3}){3}$/.test(ip) && ip.split('.').every((p) => Number(p) <= 255);

/** True for a public network OpenNebula's elastic driver serves. */
export function isElastic(vnMad: string): boolean {
  return vnMad.toLowerCase() === 'elastic';
}

/**
 * The private address a VM uses for a public one, as OpenNebula's AWS IPAM
 * driver computes it: the /16 prefix of the hosts' network plus the low 16
 * bits of the public address. The provider NATs one to the other once the
 * elastic driver has put the private one on the VM's host.
 */
export function elasticPrivateAddress(publicIp: string, hostPrivateIp: string): string {
  if (!isIpv4(publicIp) || !isIpv4(hostPrivateIp)) {
    throw new IpamExhaustedError(`cannot map public address ${publicIp} into the network of ${hostPrivateIp}: both must be IPv4`);
  }
  const prefix = Math.floor(toInt(hostPrivateIp) / 65_536) * 65_536;
  const low = toInt(publicIp) % 65_536;
  // OpenNebula's driver refuses the first 16 addresses of the /16 (the provider keeps some of them).
  if (low < 16) {
    throw new IpamExhaustedError(
      `public address ${publicIp} maps to ${toIp(prefix + low)}, one of the first 16 addresses of the hosts' /16 that OpenNebula's elastic driver refuses; release it and request another`,
    );
  }
  return toIp(prefix + low);
}

/**
 * The size-1 address range of one public address on an elastic vnet, in the
 * form OpenNebula's elastic driver works with (what its AWS IPAM driver's
 * `register_address_range` answers): `IP` is the private address the VM
 * gets, `EXTERNAL_IP` the public one, a /31 whose other half is the proxy-ARP
 * gateway, and the provider's id of the address. The address is bound to the
 * host a VM lands on when the VM is deployed (the driver's `pre`/`clean`),
 * not when the provision is created.
 */
export function elasticAddressRange(
  lease: Pick<IpLease, 'address' | 'leaseId'>,
  hostPrivateIp: string,
  provider: string,
  provisionId: string,
): AddressRangePlan {
  const ip = elasticPrivateAddress(lease.address, hostPrivateIp);
  const gateway = toIp(toInt(ip) ^ 1);
  return {
    type: 'IP4',
    ip,
    size: 1,
    attributes: {
      EXTERNAL_IP: lease.address,
      GATEWAY: gateway,
      NETWORK_MASK: '255.255.255.254',
      PROVISION_ID: provisionId,
      IPAM_LEASE_ID: lease.leaseId,
      ...(provider === 'aws' ? { AWS_ALLOCATION_ID: lease.leaseId } : {}),
    },
  };
}
