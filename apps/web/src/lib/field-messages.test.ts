import { servicePrincipalCreateSchema, userCreateSchema } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import { describeFieldProblem, describeRequestProblem, labelOf } from './field-messages';
import { fieldErrors } from './validation';

const NO_PATHS = /\b(body|querystring|params)\//;

describe('describeRequestProblem: a 400 request.invalid detail as a sentence about the field', () => {
  it.each([
    [
      'a credential, named by the key sent at that index',
      {
        target: 'body/credentials/0/value',
        message: 'body/credentials/0/value must be at most 4096 characters long; shorten it.',
      },
      { credentials: [{ key: 'BaseAddress', value: 'x' }] },
      'The Tenant URL can be at most 4,096 characters.',
    ],
    [
      'a secret of the secrets PUT',
      {
        target: 'body/value/1/value',
        message: 'body/value/1/value must be at most 4096 characters long; shorten it.',
      },
      {
        value: [
          { key: 'BaseAddress', value: 'x' },
          { key: 'SecretToken', value: 'y' },
        ],
      },
      'The Secret Token can be at most 4,096 characters.',
    ],
    [
      'a display name too long',
      {
        target: 'body/displayName',
        message: 'body/displayName must be at most 256 characters long; shorten it.',
      },
      undefined,
      'The display name can be at most 256 characters.',
    ],
    [
      'a missing property',
      {
        target: 'body/userPrincipalName',
        message: 'body/userPrincipalName is required: add it to the request body.',
      },
      undefined,
      'Enter the user principal name.',
    ],
    [
      'an empty one',
      { target: 'body/displayName', message: 'body/displayName must not be empty.' },
      undefined,
      'Enter the display name.',
    ],
    [
      'a number too large',
      { target: 'querystring/$top', message: 'querystring/$top must be 999 or less.' },
      undefined,
      'The $top can be at most 999.',
    ],
    [
      'a pattern',
      {
        target: 'body/mailNickname',
        message: 'body/mailNickname is not in the expected form. Letters and digits only.',
      },
      undefined,
      'The mail nickname is not in the expected form. Check it and try again.',
    ],
  ])('%s', (_name, detail, body, sentence) => {
    const said = describeRequestProblem(detail, body);
    expect(said).toBe(sentence);
    expect(said).not.toMatch(NO_PATHS);
  });

  it('keeps a message the API wrote for a person', () => {
    const message = "The Notification Email can be at most 254 characters; 'aaaa…' has 312.";
    expect(describeRequestProblem({ target: 'body/value/0/value', message })).toBe(message);
  });

  it('never shows a JSON path, even for a problem it has no words for', () => {
    const said = describeRequestProblem({
      target: 'body/costCenter',
      message: 'body/costCenter must be a string.',
    });
    expect(said).not.toMatch(NO_PATHS);
    expect(said).toContain('cost center');
  });
});

describe('describeFieldProblem and labels', () => {
  it('speaks of limits with thousands separators', () => {
    expect(describeFieldProblem({ keyword: 'maxLength', limit: 4096 }, 'Tenant URL')).toBe(
      'The Tenant URL can be at most 4,096 characters.',
    );
  });
  it('turns property names into words', () => {
    expect(labelOf('costCenter')).toBe('cost center');
    expect(labelOf('BaseAddress')).toBe('Tenant URL');
  });
});

describe('fieldErrors: a form checked against its contract', () => {
  it('a 257-character display name is too long, not missing', () => {
    const errors = fieldErrors(
      userCreateSchema,
      { userPrincipalName: 'adele@contoso.com', displayName: 'x'.repeat(257), accountEnabled: true },
      { displayName: 'Enter a display name.' },
    );
    expect(errors['displayName']).toBe('The display name can be at most 256 characters.');
  });
  it("an empty field gets the form's own words", () => {
    const errors = fieldErrors(
      servicePrincipalCreateSchema,
      { displayName: '' },
      { displayName: 'Enter the name of your application.' },
    );
    expect(errors['displayName']).toBe('Enter the name of your application.');
  });
  it("an empty field that must be longer gets the form's own words too", () => {
    const errors = fieldErrors(
      userCreateSchema,
      { userPrincipalName: '', displayName: 'Adele', accountEnabled: true },
      { userPrincipalName: 'Enter a user principal name such as adele@contoso.com.' },
    );
    expect(errors['userPrincipalName']).toBe('Enter a user principal name such as adele@contoso.com.');
  });
  it('a label given by the form names the field as the form does', () => {
    const errors = fieldErrors(
      servicePrincipalCreateSchema,
      { displayName: 'x'.repeat(300) },
      {},
      { displayName: 'name of your application' },
    );
    expect(errors['displayName']).toMatch(
      /^The name of your application can be at most \d[\d,]* characters\.$/,
    );
  });
});
