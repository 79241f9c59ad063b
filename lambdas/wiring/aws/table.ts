import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDriverStateStore } from '../../store/dynamo-driver-state';
import { DynamoProvisionStore } from '../../store/dynamo-store';
import { traced } from '../observability';
import type { PortGroup } from '../port-groups';

let client: DynamoDBClient | undefined;

/** The function's one DynamoDB client, shared by the table and schedule groups. */
export function dynamoClient(): DynamoDBClient {
  client ??= traced(new DynamoDBClient({}));
  return client;
}

/** The provision table (DynamoDB): provisions and driver records. One client, kept for the container's life. */
export const table: PortGroup<'table'> = {
  name: 'table',
  aws(ctx) {
    const client = dynamoClient();
    const name = ctx.config().TABLE_NAME;
    return {
      store: new DynamoProvisionStore(client, name),
      driverState: new DynamoDriverStateStore(client, name),
    };
  },
};
