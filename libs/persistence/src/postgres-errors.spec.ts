import { isTransientFault } from './postgres-errors';

describe('telling a database fault from a handler fault', () => {
  it('treats lost connections, deadlocks and serialization failures as transient', () => {
    expect(isTransientFault({ code: '08006', message: 'connection failure' })).toBe(true);
    expect(isTransientFault({ code: '40P01', message: 'deadlock detected' })).toBe(true);
    expect(isTransientFault({ code: '40001', message: 'could not serialize access' })).toBe(true);
    expect(isTransientFault({ code: '57P01', message: 'terminating connection due to administrator command' })).toBe(true);
    expect(isTransientFault({ driverError: { code: '53300' }, message: 'too many connections' })).toBe(true);
    expect(isTransientFault(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
    expect(isTransientFault(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('treats the handler’s own errors and constraint violations as failures to retry and park', () => {
    expect(isTransientFault(new Error('transfer of PRIVATE:1 before its registration'))).toBe(false);
    expect(isTransientFault({ code: '23505', message: 'duplicate key value violates unique constraint' })).toBe(false);
    expect(isTransientFault({ code: '22P02', message: 'invalid input syntax' })).toBe(false);
    expect(isTransientFault(undefined)).toBe(false);
  });
});
