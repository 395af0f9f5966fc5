import { Button, Field, SearchBox, Toolbar, ToolbarButton } from '@fluentui/react-components';
import {
  ArrowClockwise20Regular,
  ArrowUndo16Regular,
  Delete16Regular,
  Delete20Regular,
} from '@fluentui/react-icons';
import type { DeletedUser } from '@provisio/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable, type Column } from '../../components/PagedTable';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useDeletedUserDeleteMutation } from '../../data/deleted-users/deleted-user-delete-mutation';
import { useDeletedUserRestoreMutation } from '../../data/deleted-users/deleted-user-restore-mutation';
import { useDeletedUsersQuery } from '../../data/deleted-users/deleted-users-query';
import { useSearchText } from '../../hooks/use-search-text';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';

/** Restore, and Delete permanently after a confirmation, for one deleted user. */
function RowActions({ user }: { user: DeletedUser }) {
  const restore = useDeletedUserRestoreMutation();
  const remove = useDeletedUserDeleteMutation();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Button
        size="small"
        appearance="subtle"
        icon={<ArrowUndo16Regular />}
        disabled={restore.isPending}
        aria-label={`Restore ${user.displayName}`}
        onClick={() => restore.mutate(user)}
      >
        Restore
      </Button>
      <Button
        size="small"
        appearance="subtle"
        icon={<Delete16Regular />}
        aria-label={`Delete ${user.displayName} permanently`}
        onClick={() => setConfirming(true)}
      >
        Delete permanently
      </Button>
      <ConfirmDialog
        open={confirming}
        title="Delete permanently"
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate(user, { onSuccess: () => setConfirming(false) })}
      >
        Delete {user.displayName} ({user.userPrincipalName}) permanently? It cannot be restored afterwards.
        The next provisioning cycle deletes its accounts in the applications whose Target Object Actions
        include Delete.
      </ConfirmDialog>
    </>
  );
}

/**
 * Deleted users (Entra's recycle bin): users deleted in the last days, restorable until their
 * permanent deletion date, when they go for good; the most recently deleted first.
 */
export function DeletedUsersPage() {
  const page = usePageStyles();
  const can = useCan();
  const search = useSearchText();
  const users = useDeletedUsersQuery(search.debounced);
  const term = search.debounced.trim();

  const columns: Column<DeletedUser>[] = [
    { header: 'Display name', cell: (u) => <Link to={paths.user(u.id)}>{u.displayName}</Link> },
    { header: 'User principal name', cell: (u) => u.userPrincipalName },
    { header: 'Deleted', cell: (u) => formatDateTime(u.deletedDateTime) },
    { header: 'Permanent deletion', cell: (u) => formatDateTime(u.permanentDeletionDateTime) },
    ...(can.manage ? [{ header: 'Actions', cell: (u: DeletedUser) => <RowActions user={u} /> }] : []),
  ];

  return (
    <>
      <PageHeader
        title="Deleted users"
        subtitle="Directory"
        icon={<Delete20Regular />}
        crumbs={[
          { label: 'Home', to: paths.home },
          { label: 'Users', to: paths.users },
        ]}
      />
      <Toolbar aria-label="Deleted users commands" className={page.commandBar}>
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void users.refetch()}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <ReadOnlyNote />
        <p className={page.intro}>
          A deleted user stays here until its permanent deletion date and can be restored until then, as it
          was; its accounts stay disabled in the applications meanwhile. Once deleted permanently, by hand or
          on that date, its accounts are deleted in the applications whose Target Object Actions include
          Delete.
        </p>
        <Field label="Search deleted users" className={page.search}>
          <SearchBox
            value={search.text}
            placeholder="Search by name, user principal name or email"
            onChange={(_e, data) => search.setText(data.value)}
          />
        </Field>
        <PagedTable
          query={users}
          label="Deleted users"
          noun="deleted users"
          columns={columns}
          loadingLabel="Loading deleted users…"
          errorTitle="Deleted users could not be loaded"
          empty={
            term ? (
              <EmptyState title={`No deleted users match “${term}”`}>
                Check the spelling, or search by user principal name or email.
              </EmptyState>
            ) : (
              <EmptyState title="No deleted users" icon={<Delete20Regular />}>
                Users deleted from Users appear here, restorable until their permanent deletion date.
              </EmptyState>
            )
          }
        />
      </div>
    </>
  );
}
