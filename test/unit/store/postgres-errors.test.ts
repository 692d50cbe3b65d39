import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../src/core/index.js';
import { postgresErrorOf } from '../../../src/store/postgres-errors.js';

const AT = 'postgres://u:***@db.example:5432/larder';

function driverError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('postgresErrorOf', () => {
  it('an unreachable server is STORE_UNAVAILABLE naming the redacted URL', () => {
    for (const err of [
      driverError('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
      driverError('getaddrinfo ENOTFOUND db.example', 'ENOTFOUND'),
      driverError('timeout exceeded when trying to connect'),
      driverError('Connection terminated due to connection timeout'),
    ]) {
      const mapped = postgresErrorOf(AT, err);
      expect(mapped.code).toBe('STORE_UNAVAILABLE');
      expect(mapped.message).toBe(`${AT}: cannot reach the PostgreSQL server (${err.message})`);
      expect(mapped.subject).toBe(AT);
      expect(mapped.cause).toBe(err);
    }
  });

  it('refused credentials, a missing database and a busy server are STORE_UNAVAILABLE', () => {
    const cases: [string, string, RegExp][] = [
      ['28P01', 'password authentication failed for user "u"', /refused the credentials/],
      ['28000', 'no pg_hba.conf entry for host', /refused the credentials/],
      ['3D000', 'database "larder" does not exist', /no such PostgreSQL database/],
      ['57P03', 'the database system is starting up', /not accepting connections/],
      ['53300', 'sorry, too many clients already', /not accepting connections/],
      ['08006', 'connection failure', /not accepting connections/],
    ];
    for (const [code, message, why] of cases) {
      const mapped = postgresErrorOf(AT, driverError(message, code));
      expect(mapped.code).toBe('STORE_UNAVAILABLE');
      expect(mapped.message).toMatch(why);
      expect(mapped.message).toContain(message);
    }
  });

  it('other server refusals are STORE_INVALID; anything else IO; LarderErrors pass through', () => {
    const denied = postgresErrorOf(AT, driverError('permission denied for schema public', '42501'));
    expect(denied.code).toBe('STORE_INVALID');
    expect(denied.message).toBe(`${AT}: not usable as a larder store (permission denied for schema public)`);
    expect(postgresErrorOf(AT, new Error('odd')).code).toBe('IO');
    expect(postgresErrorOf(AT, 'a string').message).toBe(`${AT}: a string`);
    const own = new LarderError('STORE_INVALID', 'x');
    expect(postgresErrorOf(AT, own)).toBe(own);
  });

  it('scrubs the password should a driver message ever hold it', () => {
    const mapped = postgresErrorOf(AT, driverError('bad login s3cr3t for u', '28P01'), 's3cr3t');
    expect(mapped.message).not.toContain('s3cr3t');
    expect(mapped.message).toContain('bad login *** for u');
  });
});
