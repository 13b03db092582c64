import { describe, expect, it } from 'vitest';
import { envVarName } from '../../src/engine/env-var-fix.js';

describe('envVarName', () => {
  it('names the variable after the last name in what held the credential, in upper snake case', () => {
    expect(envVarName('stripeSecretKey')).toBe('STRIPE_SECRET_KEY');
    expect(envVarName('this.config.apiKey')).toBe('API_KEY');
    expect(envVarName('self.api_key')).toBe('API_KEY');
    expect(envVarName('settings["SECRET_KEY"]')).toBe('SECRET_KEY');
    expect(envVarName("'client_secret'")).toBe('CLIENT_SECRET');
    expect(envVarName('AWSSecretAccessKey')).toBe('AWS_SECRET_ACCESS_KEY');
    expect(envVarName('db2Password')).toBe('DB2_PASSWORD');
    expect(envVarName('$token')).toBe('TOKEN');
  });

  it('gives none for text without a name', () => {
    expect(envVarName('"-"')).toBeNull();
    expect(envVarName('')).toBeNull();
    expect(envVarName('_')).toBeNull();
  });
});
