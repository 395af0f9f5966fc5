import type {
  ExtensionAttributeValue,
  ExtensionProperty,
  ExtensionPropertyCreate,
  ModifiedProperty,
} from '@provisio/contracts';
import type { ProvisioDb } from '@provisio/db';
import { AppError, invalidField } from '../errors';
import { recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import { writeTransaction } from './transaction';

/** At most this many extension attributes in a directory: each is a column of every user form. */
export const MAX_EXTENSION_PROPERTIES = 100;

const isExtensionName = (key: string) => key.startsWith('extension_');

/** The `extension_<appId>_<name>` keys of a user body, with their values. */
export function extensionAttributesOf(body: object): Record<string, ExtensionAttributeValue> {
  const out: Record<string, ExtensionAttributeValue> = {};
  for (const [key, value] of Object.entries(body)) {
    if (isExtensionName(key)) out[key] = value as ExtensionAttributeValue;
  }
  return out;
}

/** The body without its extension attributes: the built-in properties only. */
export function withoutExtensionAttributes<T extends object>(body: T): T {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !isExtensionName(key))) as T;
}

/** Why a value does not fit its extension attribute's type, or null when it fits. */
function valueProblem(property: ExtensionProperty, value: ExtensionAttributeValue): string | null {
  if (value === null) return null;
  const values = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) && !property.isMultiValued) return 'takes one value, not a list';
  if (!Array.isArray(value) && property.isMultiValued) return 'is multi-valued: send a list of values';
  for (const v of values) {
    switch (property.dataType) {
      case 'String':
        if (typeof v !== 'string') return 'takes text';
        if (v.length > 256) return 'can be at most 256 characters';
        break;
      case 'Integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) return 'takes a whole number';
        break;
      case 'Boolean':
        if (typeof v !== 'boolean') return 'takes true or false';
        break;
      case 'DateTime':
        if (
          typeof v !== 'string' ||
          !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(v) ||
          Number.isNaN(Date.parse(v))
        )
          return 'takes a date and time such as 2025-01-31T09:00:00Z';
        break;
    }
  }
  return null;
}

/** One extension attribute's value as the audit log shows it. */
const show = (v: ExtensionAttributeValue | undefined): string | null =>
  v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);

/** The audit's modified properties of the extension attributes that changed. */
export function diffExtensionAttributes(
  before: Readonly<Record<string, ExtensionAttributeValue>>,
  after: Readonly<Record<string, ExtensionAttributeValue>>,
): ModifiedProperty[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.flatMap((displayName) => {
    const oldValue = show(before[displayName]);
    const newValue = show(after[displayName]);
    return oldValue === newValue ? [] : [{ displayName, oldValue, newValue }];
  });
}

/**
 * Directory extension attributes (Graph's `extensionProperty`, our `/directory/extensionProperties`):
 * an administrator defines them; users carry their values under `extension_<appId>_<name>`; the
 * attribute mappings read them as source attributes.
 */
export class ExtensionPropertiesService {
  constructor(private readonly deps: ServiceDeps) {}

  list(): Promise<ExtensionProperty[]> {
    return this.deps.db.directoryExtensions.listExtensionProperties();
  }

  get(id: string): Promise<ExtensionProperty> {
    return this.find(this.deps.db, id);
  }

  private async find(db: ProvisioDb, id: string): Promise<ExtensionProperty> {
    const property = await db.directoryExtensions.findExtensionProperty(id);
    if (!property) {
      throw new AppError(
        'extension_property.not_found',
        404,
        `There is no directory extension attribute '${id}'. List them with GET /directory/extensionProperties.`,
      );
    }
    return property;
  }

  create(ctx: RequestContext, input: ExtensionPropertyCreate): Promise<ExtensionProperty> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const repo = tx.directoryExtensions;
      const name = `extension_${await repo.extensionAppId()}_${input.name}`;
      if (await repo.findExtensionPropertyByName(name)) {
        throw new AppError(
          'extension_property.conflict',
          409,
          `The directory already has an extension attribute named ${input.name}. Choose another name.`,
          [{ code: 'extension_property.conflict', message: 'Already taken.', target: 'body/name' }],
        );
      }
      if ((await repo.listExtensionProperties()).length >= MAX_EXTENSION_PROPERTIES) {
        throw new AppError(
          'extension_property.limit',
          409,
          `The directory has ${MAX_EXTENSION_PROPERTIES} extension attributes, the most it can have. Delete one you no longer use first.`,
        );
      }
      const property = await repo.insertExtensionProperty({
        name,
        dataType: input.dataType,
        isMultiValued: input.isMultiValued ?? false,
      });
      await recordAudit(tx, ctx, now(), {
        category: 'DirectoryManagement',
        activity: 'Add extension property',
        operationType: 'Add',
        targets: [
          {
            id: property.id,
            displayName: property.name,
            type: 'ExtensionProperty',
            modifiedProperties: [
              { displayName: 'DataType', oldValue: null, newValue: property.dataType },
              { displayName: 'IsMultiValued', oldValue: null, newValue: String(property.isMultiValued) },
            ],
          },
        ],
      });
      return property;
    });
  }

  /** Deletes the definition and the values users had: mappings that read it read null from then on. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const property = await this.find(tx, id);
      const cleared = await tx.directoryExtensions.deleteExtensionProperty(id);
      await recordAudit(tx, ctx, now(), {
        category: 'DirectoryManagement',
        activity: 'Delete extension property',
        operationType: 'Delete',
        targets: [{ id, displayName: property.name, type: 'ExtensionProperty' }],
        additionalDetails: { UsersCleared: String(cleared.length) },
      });
    });
  }

  /**
   * Checks a user body's extension attributes: each one defined, each value of its type. Throws a
   * 400 naming the first field at fault.
   */
  async checkValues(
    db: ProvisioDb,
    values: Readonly<Record<string, ExtensionAttributeValue>>,
  ): Promise<void> {
    const names = Object.keys(values);
    if (names.length === 0) return;
    const defined = new Map(
      (await db.directoryExtensions.listExtensionProperties()).map((p) => [p.name.toLowerCase(), p]),
    );
    for (const name of names) {
      const property = defined.get(name.toLowerCase());
      if (!property) {
        throw invalidField(
          `body/${name}`,
          `${name} is not an extension attribute of this directory. Define it under Users > Extension attributes, or leave it out.`,
          'user.unknown_extension_attribute',
        );
      }
      if (property.name !== name) {
        throw invalidField(
          `body/${name}`,
          `${name} is spelled ${property.name} in this directory. Use that name.`,
          'user.unknown_extension_attribute',
        );
      }
      const problem = valueProblem(property, values[name] ?? null);
      if (problem) {
        const short = name.slice(name.indexOf('_', 'extension_'.length) + 1);
        throw invalidField(
          `body/${name}`,
          `The extension attribute ${short} ${problem}.`,
          'user.invalid_extension_attribute',
        );
      }
    }
  }
}
