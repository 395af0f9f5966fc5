import type { AttributeDefinition, ExtensionProperty, SynchronizationSchema } from '@provisio/contracts';

const EXTENSION_NAME = /^extension_[0-9a-f]{32}_/i;

/** A directory extension attribute as an attribute of the source directory's User object. */
export function extensionAttributeDefinition(property: ExtensionProperty): AttributeDefinition {
  return {
    name: property.name,
    type: property.dataType,
    required: false,
    multivalued: property.isMultiValued,
    caseExact: false,
    anchor: false,
    apiExpressions: [],
    referencedObjects: [],
    mutability: 'ReadWrite',
    flowNullValues: false,
  };
}

/**
 * The schema with the directory's extension attributes in the attribute list of each source
 * directory's User object, as Entra discovers them: the mappings' source attribute pickers and
 * scoping filters offer them, and a mapping that reads one validates. The directory is the source
 * of truth: an extension attribute no longer defined leaves the list.
 *
 * @example withDirectoryExtensions(schema, [{ name: 'extension_…_costCenter', dataType: 'String', … }])
 */
export function withDirectoryExtensions(
  schema: SynchronizationSchema,
  properties: readonly ExtensionProperty[],
): SynchronizationSchema {
  const sources = new Set(schema.synchronizationRules.map((r) => r.sourceDirectoryName.toLowerCase()));
  const userProperties = properties.filter((p) => p.targetObjects.includes('User'));
  return {
    ...schema,
    directories: schema.directories.map((directory) =>
      !sources.has(directory.name.toLowerCase())
        ? directory
        : {
            ...directory,
            objects: directory.objects.map((object) => {
              if (object.name.toLowerCase() !== 'user') return object;
              const kept = object.attributes.filter((a) => !EXTENSION_NAME.test(a.name));
              return {
                ...object,
                attributes: [...kept, ...userProperties.map(extensionAttributeDefinition)],
              };
            }),
          },
    ),
  };
}
