import { Type, type Static, type TSchema } from 'typebox';
import { collectionOf } from './common';
import { userSchema, type User } from './directory';

/**
 * Days a deleted user stays in *Deleted users* (the recycle bin), restorable, before it is deleted
 * permanently, when PROVISIO_DELETED_USER_DAYS says nothing: 30, as in Entra.
 */
export const DEFAULT_DELETED_USER_DAYS = 30;

/** A user in *Deleted users*: Graph's user with `deletedDateTime` set, and when it goes for good. */
export const deletedUserSchema = Type.Object(
  {
    ...userSchema.properties,
    permanentDeletionDateTime: Type.String({
      format: 'date-time',
      description:
        'When the user is deleted permanently unless restored before (an addition to Graph): deletedDateTime plus PROVISIO_DELETED_USER_DAYS.',
    }),
  },
  // The user's extension attributes, whichever keys the user schema allows for them.
  {
    patternProperties:
      (userSchema as { patternProperties?: Record<string, TSchema> }).patternProperties ?? {},
  },
);
export type DeletedUser = User & Static<typeof deletedUserSchema>;
export const deletedUserCollectionSchema = collectionOf(deletedUserSchema);
