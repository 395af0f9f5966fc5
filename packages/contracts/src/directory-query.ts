import { Type, type Static, type TSchema } from 'typebox';
import { groupSchema, userSchema } from './directory';

/** Graph's list parameters on `/users` and `/groups`. */
export const directoryListQuerySchema = Type.Object({
  $top: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 999, description: 'Page size (1–999, default 100).' }),
  ),
  $skiptoken: Type.Optional(Type.String({ maxLength: 500 })),
  $filter: Type.Optional(
    Type.String({
      maxLength: 2000,
      description:
        "OData filter: eq, startswith, in, and, or, e.g. department eq 'Sales' and startswith(displayName,'Ad').",
    }),
  ),
  $search: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        'Case-insensitive text anywhere in the names, addresses and employee id; "displayName:ada" looks in one property.',
    }),
  ),
  $select: Type.Optional(
    Type.String({
      maxLength: 1000,
      description: 'Comma-separated properties to return (id is always returned).',
    }),
  ),
  $count: Type.Optional(Type.Boolean({ description: 'true adds @odata.count: how many objects match.' })),
});
export type DirectoryListQuery = Static<typeof directoryListQuerySchema>;

/** Graph's delta query parameters on `/users/delta` and `/groups/delta`. */
export const deltaQuerySchema = Type.Object({
  $select: Type.Optional(
    Type.String({ maxLength: 1000, description: 'Properties to return; kept in the links that follow.' }),
  ),
  $top: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 999,
      description: 'Page size (an addition; default 100); kept in the links.',
    }),
  ),
  $skiptoken: Type.Optional(Type.String({ maxLength: 2000, description: 'From @odata.nextLink.' })),
  $deltatoken: Type.Optional(
    Type.String({
      maxLength: 2000,
      description: 'From @odata.deltaLink; `latest` answers only a deltaLink for changes from now on.',
    }),
  ),
});
export type DeltaQuery = Static<typeof deltaQuerySchema>;

/** Why a delta reports an object as removed: in the recycle bin (`changed`) or gone for good (`deleted`). */
export const removedSchema = Type.Object({
  reason: Type.Union([Type.Literal('changed'), Type.Literal('deleted')]),
});
export type Removed = Static<typeof removedSchema>;

/**
 * Every property optional but id: `$select` chooses them. Other properties (a user's
 * `extension_<appId>_<name>` attributes) pass through as they are.
 */
const partialUser = Type.Partial(userSchema).properties;
const partialGroup = Type.Partial(groupSchema).properties;
export const selectedUserSchema = Type.Object(
  { ...partialUser, id: Type.String() },
  { additionalProperties: true },
);
export const selectedGroupSchema = Type.Object({ ...partialGroup, id: Type.String() });
/** A page of users or groups with the properties `$select` chose and, with `$count=true`, `@odata.count`. */
export const selectedUserCollectionSchema = Type.Object({
  '@odata.count': Type.Optional(Type.Integer()),
  value: Type.Array(selectedUserSchema),
  '@odata.nextLink': Type.Optional(Type.String()),
});
export const selectedGroupCollectionSchema = Type.Object({
  '@odata.count': Type.Optional(Type.Integer()),
  value: Type.Array(selectedGroupSchema),
  '@odata.nextLink': Type.Optional(Type.String()),
});

/** A member that joined (no `@removed`) or left (`@removed`) a group, in a group's `members@delta`. */
export const memberDeltaSchema = Type.Object({
  '@odata.type': Type.Literal('#microsoft.graph.user'),
  id: Type.String(),
  '@removed': Type.Optional(removedSchema),
});
export type MemberDelta = Static<typeof memberDeltaSchema>;

export const userDeltaSchema = Type.Object(
  { ...partialUser, id: Type.String(), '@removed': Type.Optional(removedSchema) },
  { additionalProperties: true },
);
export type UserDelta = Static<typeof userDeltaSchema>;
export const groupDeltaSchema = Type.Object({
  ...partialGroup,
  id: Type.String(),
  '@removed': Type.Optional(removedSchema),
  'members@delta': Type.Optional(Type.Array(memberDeltaSchema)),
});
export type GroupDelta = Static<typeof groupDeltaSchema>;

const deltaPage = <T extends TSchema>(item: T) =>
  Type.Object({
    value: Type.Array(item),
    '@odata.nextLink': Type.Optional(Type.String({ description: 'More of this round: follow it.' })),
    '@odata.deltaLink': Type.Optional(
      Type.String({ description: 'The round is complete: keep it and call it for the next changes.' }),
    ),
  });
export const userDeltaPageSchema = deltaPage(userDeltaSchema);
export const groupDeltaPageSchema = deltaPage(groupDeltaSchema);
export interface DeltaPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}
