import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** One accepted cdk-nag finding and why it is acceptable here. */
export interface Acknowledgement {
  /** Rule id, optionally with the finding: `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  readonly reason: string;
}

/** Acknowledges findings on a construct and everything under it. */
export function acknowledge(scope: IConstruct, acks: readonly Acknowledgement[]): void {
  for (const ack of acks) Validations.of(scope).acknowledge({ id: ack.id, reason: ack.reason });
}
