import { isOverlayNetwork } from '../provisioning/overlay-network';
import { datastoreProblems, networkProblems, type OnedProblem } from '../provisioning/oned-rules';
import type { ProvisionPlan } from '../provisioning/plan';
import type { Diagnostics } from './diagnostics';
import { locate, type LNode, type Path } from './located';
import type { MappedDatastore } from './map-datastores';
import type { MappedNetwork } from './map-networks';

/*
 * The refusals a stock oned answers at allocate time, found at validation,
 * before anything is bought, and reported where the descriptor wrote the
 * object (or the attribute at fault).
 */

function report(root: LNode, srcPath: Path, problem: OnedProblem, diag: Diagnostics): void {
  const path = problem.attribute === undefined ? srcPath : [...srcPath, problem.attribute.toLowerCase()];
  const found = locate(root, path);
  const position = found.keyAt ?? found.node.at;
  const where = found.exact ? path : srcPath;
  if (problem.warning) diag.warn(position, where, problem.message);
  else diag.error(position, where, problem.message, 'OpenNebulaRuleError');
}

/** Reports what a stock oned would refuse in the networks and datastores of a descriptor. */
export function checkOpenNebulaRules(
  root: LNode,
  plan: Pick<ProvisionPlan, 'overlay'>,
  networks: MappedNetwork[],
  datastores: MappedDatastore[],
  diag: Diagnostics,
): void {
  for (const net of networks) {
    for (const problem of networkProblems(net.plan, { overlay: isOverlayNetwork(plan, net.plan) }))
      report(root, net.srcPath, problem, diag);
  }
  for (const ds of datastores) for (const problem of datastoreProblems(ds.plan)) report(root, ds.srcPath, problem, diag);
}
