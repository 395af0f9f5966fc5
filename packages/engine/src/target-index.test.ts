import { describe, expect, it } from 'vitest';
import type { MatchingValue } from './attribute-mappings';
import { TargetIndex } from './target-index';

const values = (...pairs: [string, string | null][]): MatchingValue[] =>
  pairs.map(([targetAttributeName, value]) => ({ targetAttributeName, value, redacted: false }));

function index() {
  const i = new TargetIndex([
    { path: 'userName', caseExact: false },
    { path: 'externalId', caseExact: true },
    { path: 'emails[type eq "work"].value', caseExact: false },
  ]);
  i.add({ id: '1', userName: 'Adele@Contoso.com', externalId: 'adele' });
  i.add({
    id: '2',
    userName: 'alex@contoso.com',
    externalId: 'Alex',
    emails: [{ type: 'work', value: 'a@x.io' }],
  });
  i.add({ id: '3', userName: 'megan@contoso.com', externalId: 'shared' });
  i.add({ id: '4', userName: 'megan2@contoso.com', externalId: 'shared' });
  i.add({ userName: 'no-id' });
  return i;
}

describe('TargetIndex', () => {
  it('asks only for the attributes it matches on', () => {
    expect(index().requestedAttributes).toEqual(['userName', 'externalId', 'emails']);
    expect(index().size).toBe(4);
  });

  it('matches by precedence, case-insensitively, and stops at the first attribute that finds something', () => {
    expect(index().match(values(['userName', 'adele@contoso.com'], ['externalId', 'shared']))).toEqual({
      kind: 'one',
      targetId: '1',
      attribute: 'userName',
      value: 'adele@contoso.com',
    });
    expect(index().match(values(['userName', 'nobody@contoso.com'], ['externalId', 'adele']))).toMatchObject({
      kind: 'one',
      targetId: '1',
      attribute: 'externalId',
    });
    expect(
      index().match(values(['userName', null], ['emails[type eq "work"].value', 'A@X.IO'])),
    ).toMatchObject({
      kind: 'one',
      targetId: '2',
    });
  });

  it('reports several accounts and nothing found as the target filter would', () => {
    expect(index().match(values(['externalId', 'shared']))).toEqual({
      kind: 'many',
      targetIds: ['3', '4'],
      attribute: 'externalId',
      value: 'shared',
    });
    expect(index().match(values(['userName', 'x@y.z'], ['externalId', 'nobody']))).toEqual({
      kind: 'none',
      tried: [
        { attribute: 'userName', value: 'x@y.z' },
        { attribute: 'externalId', value: 'nobody' },
      ],
    });
  });

  it('leaves to the target a value that differs only in case on an exact-case attribute', () => {
    expect(index().match(values(['externalId', 'alex']))).toEqual({ kind: 'askTarget' });
    expect(index().match(values(['externalId', 'Alex']))).toMatchObject({ kind: 'one', targetId: '2' });
    expect(index().match(values(['title', 'x']))).toEqual({ kind: 'askTarget' });
  });
});
