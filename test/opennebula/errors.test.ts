import * as errors from '../../lambdas/opennebula/errors';
import { EdgeError, TransientError } from '../../lambdas/shared/errors';

const { ONE_ERROR_NAMES, ONE_ERROR_CODES, oneErrorFromFailure } = errors;

describe('OpenNebula named errors', () => {
  type ErrorClass = new (message: string) => Error;
  const classes = (Object.entries(errors) as Array<[string, unknown]>)
    .filter(([name, value]) => typeof value === 'function' && /^One\w+Error$/.test(name))
    .filter(([name]) => !['OneError', 'OneTransientError'].includes(name))
    .map(([name, value]) => [name, value as ErrorClass] as [string, ErrorClass]);

  it('lists every thrown error class in ONE_ERROR_NAMES', () => {
    expect([...ONE_ERROR_NAMES].sort()).toEqual(classes.map(([name]) => name).sort());
  });

  it.each(classes)('%s names its instances after the class and is an EdgeError', (name, Type) => {
    const err = name === 'OneXmlRpcFaultError' ? new errors.OneXmlRpcFaultError('m', -1) : new Type('m');
    expect(err.name).toBe(name);
    expect(err).toBeInstanceOf(EdgeError);
  });

  it('marks only waits, locks, replication and unreachability as transient', () => {
    const transient = classes.filter(([, Type]) => Type.prototype instanceof TransientError).map(([name]) => name);
    expect(transient.sort()).toEqual(['OneLockedError', 'OneReplicationError', 'OneUnreachableError', 'OneWaitTimeoutError']);
  });

  it.each([
    [ONE_ERROR_CODES.AUTHENTICATION, 'OneAuthenticationError'],
    [ONE_ERROR_CODES.NO_EXISTS, 'OneNoExistsError'],
    [ONE_ERROR_CODES.ACTION, 'OneActionError'],
    [ONE_ERROR_CODES.XML_RPC_API, 'OneXmlRpcApiError'],
    [ONE_ERROR_CODES.INTERNAL, 'OneInternalError'],
    [ONE_ERROR_CODES.ALLOCATE, 'OneAllocateError'],
    [ONE_ERROR_CODES.LOCKED, 'OneLockedError'],
    [ONE_ERROR_CODES.REPLICATION, 'OneReplicationError'],
    [0x12345, 'OneInternalError'],
  ])('maps code %i to %s', (code, name) => {
    const err = oneErrorFromFailure({ method: 'one.x', code, respId: 7 }, '[one.x] boom');
    expect(err.name).toBe(name);
    expect(err.failure).toEqual({ method: 'one.x', code, respId: 7 });
  });
});
