import { ToolbarButton } from '@fluentui/react-components';
import { Delete20Regular, PersonAvailable20Regular, PersonProhibited20Regular } from '@fluentui/react-icons';
import type { User } from '@provisio/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useUserDeleteMutation } from '../../data/users/user-delete-mutation';
import { useUserEnabledMutation } from '../../data/users/user-enabled-mutation';

/** The confirmation before Delete: what happens to the user and to its accounts. */
export function DeleteUserDialog({
  user,
  onClose,
  onDeleted,
}: {
  user: User | null;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const remove = useUserDeleteMutation();
  return (
    <ConfirmDialog
      open={user !== null}
      title="Delete user"
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={() => {
        if (!user) return;
        // Not `mutate`'s own onSuccess: it is dropped when this dialog is gone by then, and the
        // refetch of the deleted user unmounts the commands of its page. Failures are the hook's to show.
        remove.mutateAsync(user).then(
          () => {
            onClose();
            onDeleted?.();
          },
          () => undefined,
        );
      }}
    >
      Delete {user?.displayName} ({user?.userPrincipalName})? The user moves to Deleted users, where it can be
      restored for a limited time, and the next provisioning cycle disables its accounts in every application.
    </ConfirmDialog>
  );
}

/**
 * Disable / Enable and Delete for one user, as the Users list and the user's page offer them; Delete
 * asks first. `onDeleted` runs after a delete (the user page leaves for the list).
 */
export function UserStateCommands({ user, onDeleted }: { user: User; onDeleted?: () => void }) {
  const enabled = useUserEnabledMutation();
  const [deleting, setDeleting] = useState<User | null>(null);
  return (
    <>
      {user.accountEnabled ? (
        <ToolbarButton
          icon={<PersonProhibited20Regular />}
          disabled={enabled.isPending}
          onClick={() => enabled.mutate({ user, enabled: false })}
        >
          Disable
        </ToolbarButton>
      ) : (
        <ToolbarButton
          icon={<PersonAvailable20Regular />}
          disabled={enabled.isPending}
          onClick={() => enabled.mutate({ user, enabled: true })}
        >
          Enable
        </ToolbarButton>
      )}
      <ToolbarButton icon={<Delete20Regular />} onClick={() => setDeleting(user)}>
        Delete
      </ToolbarButton>
      <DeleteUserDialog
        user={deleting}
        onClose={() => setDeleting(null)}
        {...(onDeleted ? { onDeleted } : {})}
      />
    </>
  );
}
