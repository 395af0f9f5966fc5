import { describe, expect, it } from 'vitest';
import { dottedPath } from './configuration-service';

describe('dottedPath', () => {
  it.each([
    ['format', 'format'],
    [
      'schema/synchronizationRules/0/objectMappings/1/attributeMappings/3/source/expression',
      'schema.synchronizationRules[0].objectMappings[1].attributeMappings[3].source.expression',
    ],
    ['settings/synchronizationJobSettings/0/value', 'settings.synchronizationJobSettings[0].value'],
    ['appRoles/2/value', 'appRoles[2].value'],
    ['', ''],
  ])('writes %s as %s', (path, dotted) => {
    expect(dottedPath(path)).toBe(dotted);
  });
});
