import { EVENT_SOURCE } from '../provisioning/ports/events';
import { parseBody } from './body';
import { json } from './http';
import { HttpProblem } from './problem';
import type { Route } from './router';
import { CustomEventBodySchema, CustomEventResultSchema } from './schemas';

/**
 * Routes only the sandbox serves. A deployed API has no `putEvent`, so
 * these answer 404 there: in AWS, put events on the bus with your own IAM
 * permissions (`aws events put-events`), not through the API, whose callers
 * could otherwise trigger each other's teardown rules.
 */
export const sandboxRoutes: Route[] = [
  {
    method: 'POST',
    path: '/events',
    doc: {
      summary: 'Put a custom event on the local bus (sandbox only)',
      description:
        'Lets you try `teardownOn` patterns locally: the event goes through the local bus rules as EventBridge would route it. ' +
        'A deployed API answers 404. The sources `edge-provisioner` and `aws.*` are reserved.',
      tag: 'sandbox',
      body: { schema: CustomEventBodySchema, required: true },
      responses: { 202: { description: 'Put on the bus', schema: CustomEventResultSchema } },
      errors: [413, 415, 422],
    },
    async handle(_deps, req) {
      const putEvent = req.platform.putEvent;
      if (!putEvent) throw new HttpProblem(404, 'not-found', 'Not found', 'POST /events exists only in the local sandbox');
      const body = CustomEventBodySchema.parse(parseBody(req));
      if (body.source === EVENT_SOURCE || body.source.startsWith('aws.')) {
        throw new HttpProblem(422, 'invalid-request', 'The request is not valid', `the source '${body.source}' is reserved`, [
          { path: 'source', message: `reserved; use your own source (not ${EVENT_SOURCE} or aws.*)` },
        ]);
      }
      return json(202, await putEvent({ source: body.source, detailType: body['detail-type'], detail: body.detail }));
    },
  },
];
