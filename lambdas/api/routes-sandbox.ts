import { EVENT_SOURCE } from '../provisioning/ports/events';
import { parseBody } from './body';
import { json } from './http';
import { HttpProblem } from './problem';
import type { Route } from './router';
import { CustomEventBodySchema, CustomEventResultSchema } from './schemas';
import { SandboxFaultsSchema } from './sandbox-faults';
import { z } from 'zod';

/** What is armed now, per kind (faults that hit their last call are gone). */
const SandboxFaultsArmedSchema = z.record(z.string(), z.unknown());

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
  ...(['GET', 'POST', 'DELETE'] as const).map(
    (method): Route => ({
      method,
      path: '/sandbox/faults',
      doc: {
        summary: {
          GET: 'The faults armed in the sandbox (sandbox only)',
          POST: 'Arm faults to rehearse failures (sandbox only)',
          DELETE: 'Heal the sandbox: disarm every fault (sandbox only)',
        }[method],
        description:
          'Provider, IPAM, SSH host, oned and table faults, each armed until it has hit its calls or its time is over. A deployed API answers 404.',
        tag: 'sandbox',
        ...(method === 'POST' ? { body: { schema: SandboxFaultsSchema, required: true } } : {}),
        responses: { 200: { description: 'What is armed now', schema: SandboxFaultsArmedSchema } },
        errors: method === 'POST' ? [413, 415, 422] : [],
      },
      async handle(_deps, req) {
        const faults = req.platform.faults;
        if (!faults) throw new HttpProblem(404, 'not-found', 'Not found', '/sandbox/faults exists only in the local sandbox');
        if (method === 'GET') return json(200, faults.armed());
        if (method === 'DELETE') return json(200, faults.clear());
        return json(200, faults.arm(SandboxFaultsSchema.parse(parseBody(req))));
      },
    }),
  ),
];
