import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Toolbar,
  ToolbarButton,
} from '@fluentui/react-components';
import {
  Add20Regular,
  ArrowClockwise20Regular,
  Delete20Regular,
  PersonEdit20Regular,
  PersonKey20Regular,
} from '@fluentui/react-icons';
import type { Account } from '@provisio/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { NotAllowed } from '../../components/NotAllowed';
import { PageHeader } from '../../components/PageHeader';
import { usePageStyles } from '../../components/page-styles';
import { useAccountDeleteMutation } from '../../data/accounts/account-delete-mutation';
import { useAccountsQuery } from '../../data/accounts/accounts-query';
import { useMeQuery } from '../../data/auth/me-query';
import { ROLE_LABEL, useCan } from '../../data/auth/use-can';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';
import { ChangeRoleDialog } from './ChangeRoleDialog';
import { NewAccountDialog } from './NewAccountDialog';

/**
 * The accounts that sign in to the portal and their roles (Administrators only). An Administrator
 * cannot delete the account they are signed in with; changing a role ends the account's sessions.
 */
export function AccountsPage() {
  const can = useCan();
  if (!can.admin) return <NotAllowed title="Accounts" who="Only Administrators manage portal accounts." />;
  return <AccountsList />;
}

function AccountsList() {
  const page = usePageStyles();
  const me = useMeQuery();
  const accounts = useAccountsQuery();
  const remove = useAccountDeleteMutation();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Account | null>(null);
  const [changing, setChanging] = useState<Account | null>(null);
  const items = accounts.data?.value ?? [];

  return (
    <>
      <PageHeader
        title="Accounts"
        subtitle="Who signs in to Provisio"
        icon={<PersonKey20Regular />}
        crumbs={[{ label: 'Home', to: paths.home }]}
      />
      <Toolbar aria-label="Accounts commands" className={page.commandBar}>
        <ToolbarButton icon={<Add20Regular />} onClick={() => setCreating(true)}>
          New account
        </ToolbarButton>
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void accounts.refetch()}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        {accounts.isPending ? (
          <LoadingState label="Loading accounts…" />
        ) : accounts.isError ? (
          <ErrorState
            title="Accounts could not be loaded"
            error={accounts.error}
            onRetry={() => void accounts.refetch()}
          />
        ) : items.length === 0 ? (
          <EmptyState title="No accounts" icon={<PersonKey20Regular />}>
            Create an account for each person who signs in.
          </EmptyState>
        ) : (
          <div className={page.tableScroll}>
            <Table aria-label="Accounts" className={page.table} size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>User name</TableHeaderCell>
                  <TableHeaderCell>Role</TableHeaderCell>
                  <TableHeaderCell>Created</TableHeaderCell>
                  <TableHeaderCell>Actions</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((account) => {
                  const self = account.userName.toLowerCase() === me.data?.userName.toLowerCase();
                  return (
                    <TableRow key={account.id}>
                      <TableCell>
                        {account.userName}
                        {self ? ' (you)' : ''}
                      </TableCell>
                      <TableCell>{ROLE_LABEL[account.role]}</TableCell>
                      <TableCell>{formatDateTime(account.createdDateTime)}</TableCell>
                      <TableCell>
                        <Button
                          appearance="subtle"
                          icon={<PersonEdit20Regular />}
                          aria-label={`Change role of ${account.userName}`}
                          onClick={() => setChanging(account)}
                        >
                          Change role
                        </Button>
                        <Button
                          appearance="subtle"
                          icon={<Delete20Regular />}
                          aria-label={`Delete ${account.userName}`}
                          title={self ? 'You cannot delete the account you are signed in with.' : undefined}
                          disabled={self}
                          onClick={() => setDeleting(account)}
                        >
                          Delete
                        </Button>
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        )}
      </div>
      <NewAccountDialog open={creating} onClose={() => setCreating(false)} />
      {changing ? (
        <ChangeRoleDialog
          key={changing.id}
          account={changing}
          self={changing.userName.toLowerCase() === me.data?.userName.toLowerCase()}
          onClose={() => setChanging(null)}
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete account"
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting, { onSettled: () => setDeleting(null) })}
        onCancel={() => setDeleting(null)}
      >
        Delete the account {deleting?.userName}? Its sessions end at once and it can no longer sign in.
      </ConfirmDialog>
    </>
  );
}
