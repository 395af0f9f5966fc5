import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Toolbar,
  ToolbarButton,
} from '@fluentui/react-components';
import { Add20Regular, ArrowClockwise20Regular, TextBulletListSquare20Regular } from '@fluentui/react-icons';
import { extensionShortName, type ExtensionProperty } from '@provisio/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { PageHeader } from '../../components/PageHeader';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useExtensionPropertiesQuery } from '../../data/extension-properties/extension-properties-query';
import { useExtensionPropertyDeleteMutation } from '../../data/extension-properties/extension-property-delete-mutation';
import { formatDateTime, yesNo } from '../../lib/format';
import { paths } from '../../paths';
import { NewExtensionAttributeDialog } from './NewExtensionAttributeDialog';

/**
 * Directory extension attributes: what users may carry beyond the built-in attributes. Each shows in
 * the user forms, and as a source attribute `extension_<id>_<name>` in attribute mappings and scoping filters.
 */
export function ExtensionAttributesPage() {
  const page = usePageStyles();
  const canManage = useCan().manage;
  const properties = useExtensionPropertiesQuery();
  const remove = useExtensionPropertyDeleteMutation();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<ExtensionProperty | null>(null);

  return (
    <>
      <PageHeader
        title="Extension attributes"
        subtitle="Directory"
        icon={<TextBulletListSquare20Regular />}
        crumbs={[
          { label: 'Home', to: paths.home },
          { label: 'Users', to: paths.users },
        ]}
      />
      <Toolbar aria-label="Extension attributes commands" className={page.commandBar}>
        {canManage && (
          <ToolbarButton icon={<Add20Regular />} onClick={() => setAdding(true)}>
            Add extension attribute
          </ToolbarButton>
        )}
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void properties.refetch()}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <ReadOnlyNote />
        <Text as="p" className={page.intro}>
          Attributes your users carry beyond the built-in ones. Each appears in New user and Edit user, and in
          the attribute mappings of every application as a source attribute named
          extension_&lt;id&gt;_&lt;name&gt;, so a mapping or a scoping filter can use it.
        </Text>
        {properties.isPending ? (
          <LoadingState label="Loading extension attributes…" />
        ) : properties.isError ? (
          <ErrorState
            title="Extension attributes could not be loaded"
            error={properties.error}
            onRetry={() => void properties.refetch()}
          />
        ) : properties.data.length === 0 ? (
          <EmptyState title="No extension attributes yet">
            Add one with Add extension attribute (a name such as costCenter and its type), then set it on
            users and map it to an application&apos;s attribute.
          </EmptyState>
        ) : (
          <Table aria-label="Extension attributes">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Source attribute</TableHeaderCell>
                <TableHeaderCell>Data type</TableHeaderCell>
                <TableHeaderCell>Multi-valued</TableHeaderCell>
                <TableHeaderCell>Created</TableHeaderCell>
                {canManage && <TableHeaderCell>Actions</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {properties.data.map((p) => (
                <TableRow key={p.id}>
                  <TableCell>{extensionShortName(p.name)}</TableCell>
                  <TableCell>
                    <code>{p.name}</code>
                  </TableCell>
                  <TableCell>{p.dataType}</TableCell>
                  <TableCell>{yesNo(p.isMultiValued)}</TableCell>
                  <TableCell>{formatDateTime(p.createdDateTime)}</TableCell>
                  {canManage && (
                    <TableCell>
                      <Button
                        size="small"
                        aria-label={`Delete ${extensionShortName(p.name)}`}
                        onClick={() => setDeleting(p)}
                      >
                        Delete
                      </Button>
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
      <NewExtensionAttributeDialog open={adding} onClose={() => setAdding(false)} />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete extension attribute"
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting, { onSettled: () => setDeleting(null) });
        }}
      >
        Delete {deleting ? extensionShortName(deleting.name) : ''}? Every user loses its value, and a mapping
        that reads it gets no value from the next cycle.
      </ConfirmDialog>
    </>
  );
}
