import {
  Badge,
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
  KeyMultiple20Regular,
} from '@fluentui/react-icons';
import type { ApiToken, ApiTokenCreated } from '@provisio/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { NotAllowed } from '../../components/NotAllowed';
import { PageHeader } from '../../components/PageHeader';
import { usePageStyles } from '../../components/page-styles';
import { ROLE_LABEL, useCan } from '../../data/auth/use-can';
import { useTokenRevokeMutation } from '../../data/tokens/token-revoke-mutation';
import { useTokensQuery } from '../../data/tokens/tokens-query';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';
import { NewTokenDialog } from './NewTokenDialog';
import { TokenCreatedDialog } from './TokenCreatedDialog';

const STATE: Record<ApiToken['state'], { label: string; color: 'success' | 'warning' | 'informative' }> = {
  active: { label: 'Active', color: 'success' },
  expired: { label: 'Expired', color: 'warning' },
  revoked: { label: 'Revoked', color: 'informative' },
};

const TITLE = 'API tokens';

/**
 * API tokens for scripts and automation (Administrators only): each acts with a role until it
 * expires or is revoked; its secret is shown once, when it is created.
 */
export function TokensPage() {
  const can = useCan();
  if (!can.admin) {
    return <NotAllowed title={TITLE} who="Only Administrators manage API tokens." />;
  }
  return <TokensList />;
}

function TokensList() {
  const page = usePageStyles();
  const tokens = useTokensQuery();
  const revoke = useTokenRevokeMutation();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const items = tokens.data?.value ?? [];

  return (
    <>
      <PageHeader
        title={TITLE}
        subtitle="Access to the API for scripts and automation"
        icon={<KeyMultiple20Regular />}
        crumbs={[{ label: 'Home', to: paths.home }]}
      />
      <Toolbar aria-label="API tokens commands" className={page.commandBar}>
        <ToolbarButton icon={<Add20Regular />} onClick={() => setCreating(true)}>
          New token
        </ToolbarButton>
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void tokens.refetch()}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <p className={page.intro}>
          A script sends a token in the Authorization header (<code>Bearer &lt;token&gt;</code>) and may do
          what its role allows, until the token expires or is revoked.
        </p>
        {tokens.isPending ? (
          <LoadingState label="Loading API tokens…" />
        ) : tokens.isError ? (
          <ErrorState
            title="API tokens could not be loaded"
            error={tokens.error}
            onRetry={() => void tokens.refetch()}
          />
        ) : items.length === 0 ? (
          <EmptyState
            title="No API tokens"
            icon={<KeyMultiple20Regular />}
            action={
              <Button appearance="primary" icon={<Add20Regular />} onClick={() => setCreating(true)}>
                New token
              </Button>
            }
          >
            Create a token for each script that calls the API, with the least role it needs.
          </EmptyState>
        ) : (
          <div className={page.tableScroll}>
            <Table aria-label="API tokens" className={page.table} size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>Role</TableHeaderCell>
                  <TableHeaderCell>State</TableHeaderCell>
                  <TableHeaderCell>Created by</TableHeaderCell>
                  <TableHeaderCell>Created</TableHeaderCell>
                  <TableHeaderCell>Expires</TableHeaderCell>
                  <TableHeaderCell>Last used</TableHeaderCell>
                  <TableHeaderCell>Last used from</TableHeaderCell>
                  <TableHeaderCell>Actions</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((token) => (
                  <TableRow key={token.id}>
                    <TableCell>{token.displayName}</TableCell>
                    <TableCell>{ROLE_LABEL[token.role]}</TableCell>
                    <TableCell>
                      <Badge appearance="tint" color={STATE[token.state].color}>
                        {STATE[token.state].label}
                      </Badge>
                      {token.state === 'revoked' && token.revokedDateTime ? (
                        <span className={page.muted}> {formatDateTime(token.revokedDateTime)}</span>
                      ) : null}
                    </TableCell>
                    <TableCell>{token.createdBy.userName}</TableCell>
                    <TableCell>{formatDateTime(token.createdDateTime)}</TableCell>
                    <TableCell>{formatDateTime(token.expirationDateTime)}</TableCell>
                    <TableCell>
                      {token.lastUsedDateTime ? formatDateTime(token.lastUsedDateTime) : 'Never'}
                    </TableCell>
                    <TableCell>{token.lastUsedFrom ?? '—'}</TableCell>
                    <TableCell>
                      {token.state === 'active' ? (
                        <Button
                          appearance="subtle"
                          icon={<Delete20Regular />}
                          aria-label={`Revoke ${token.displayName}`}
                          onClick={() => setRevoking(token)}
                        >
                          Revoke
                        </Button>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </div>
      <NewTokenDialog open={creating} onClose={() => setCreating(false)} onCreated={setCreated} />
      <TokenCreatedDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke API token"
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking, { onSettled: () => setRevoking(null) })}
        onCancel={() => setRevoking(null)}
      >
        Revoke the API token {revoking?.displayName}? Every request made with it is refused from now on; this
        cannot be undone.
      </ConfirmDialog>
    </>
  );
}
