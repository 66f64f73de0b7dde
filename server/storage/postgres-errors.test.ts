import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../service/token-store';
import { classify } from './postgres-token-store';

const withCode = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('PostgreSQL errors', () => {
  it.each([
    ['a connection failure (08006)', withCode('08006', 'connection failure')],
    ['too many connections (53300)', withCode('53300', 'sorry, too many clients already')],
    ['a shutdown (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['a statement timeout (57014)', withCode('57014', 'canceling statement due to statement timeout')],
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', withCode('ECONNRESET', 'read ECONNRESET')],
    ['a connection pg saw end', new Error('Connection terminated unexpectedly')],
    ['a pool with no connection to give', new Error('timeout exceeded when trying to connect')],
  ])('make %s a 503', (_what, error) => {
    expect(classify(error)).toBeInstanceOf(StorageUnavailableError);
  });

  it.each([
    ['an unknown column named like a connection', withCode('42703', 'column "connection_timeout" does not exist')],
    ['a constraint on a table of connections', withCode('23505', 'duplicate key value violates unique constraint "connection_pkey"')],
    ['a syntax error near "timeout"', withCode('42601', 'syntax error at or near "timeout"')],
    ['a bug of ours that mentions a connection', new Error('Connection object was undefined')],
    ['a bug of ours that mentions a timeout', new TypeError('timeout is not a function')],
  ])('keep %s a bug (500)', (_what, error) => {
    const classified = classify(error);
    expect(classified).not.toBeInstanceOf(StorageUnavailableError);
    expect(classified).toBe(error);
  });
});
