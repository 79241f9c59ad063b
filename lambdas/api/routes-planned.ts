import { HttpProblem } from './problem';
import type { Route } from './router';

/** The release that brings scaling and host actions. */
export const NEXT_RELEASE = '0.2';

function planned(method: string, path: string, summary: string): Route {
  return {
    method,
    path,
    doc: {
      summary,
      description: `Not implemented yet: answers 501 until release ${NEXT_RELEASE}.`,
      tag: 'provisions',
      responses: {},
      errors: [501],
    },
    async handle() {
      throw new HttpProblem(501, 'not-implemented', 'Not implemented', `${summary.toLowerCase()} arrives in release ${NEXT_RELEASE}`);
    },
  };
}

/** Routes of DESIGN §7 whose machines come in the next release (scale-provision, host-action). */
export const plannedRoutes: Route[] = [
  planned('POST', '/provisions/{id}/hosts', 'Scale out (add hosts)'),
  planned('DELETE', '/provisions/{id}/hosts/{host}', 'Scale in (remove a host)'),
  planned('POST', '/provisions/{id}/hosts/{host}/{action}', 'Host action (poweroff, reboot, resume)'),
];
