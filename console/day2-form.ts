import type { ApiClient, OperationStarted } from '../cli/api-client';

const on = (form: URLSearchParams, name: string) => form.get(name) === 'true';

/**
 * Starts the operation a day-2 form describes, through the API client's own
 * calls (so the console asks exactly what edgectl asks). Values go to the
 * API as typed: its answer (422 naming the field, 409 naming the VMs or the
 * running operation) is what the page shows. Undefined for a form this
 * console does not know.
 */
export function startFromForm(api: ApiClient, id: string, form: URLSearchParams): Promise<OperationStarted> | undefined {
  const host = form.get('host') ?? '';
  switch (form.get('op')) {
    case 'scale-out':
      return api.scaleOut(id, { count: Number(form.get('count')) });
    case 'scale-in':
      return api.scaleIn(id, { hosts: [host] }, { drain: on(form, 'drain'), force: on(form, 'force'), allowEmpty: on(form, 'allowEmpty') });
    case 'host-action': {
      const action = form.get('action') ?? '';
      // Hard is a kind of reboot and force concerns running VMs: neither means anything to the other actions.
      const hard = action === 'reboot' && on(form, 'hard');
      const force = action !== 'resume' && on(form, 'force');
      return api.hostAction(id, host, action, { ...(hard ? { hard } : {}), ...(force ? { force } : {}) });
    }
    case 'ip-add':
      return api.addIps(id, { count: Number(form.get('count')) });
    case 'ip-remove':
      return api.removeIp(id, form.get('address') ?? '');
    case 'configure':
      return api.configure(id, { ...(on(form, 'force') ? { force: true } : {}), ...(host ? { hosts: [host] } : {}) });
    default:
      return undefined;
  }
}
