import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { Link } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useSchemaQuery } from '../../data/synchronization/schema-query';
import { yesNo } from '../../lib/format';
import { paths } from '../../paths';
import { ConfigurationTransfer } from './ConfigurationTransfer';

interface MappingsListProps {
  servicePrincipalId: string;
  jobId: string | undefined;
  applicationName: string;
}

/**
 * The Mappings section: the object mappings, then Export and Import configuration. The two stay in
 * place while the list loads or the job is created by an import, so an open import dialog stays open.
 */
export function MappingsList(props: MappingsListProps) {
  const can = useCan();
  return (
    <>
      <ObjectMappings {...props} />
      {can.manage ? <ConfigurationTransfer {...props} /> : null}
    </>
  );
}

/** The object mappings of the job's schema (users, groups) and whether each is enabled; a name opens its Attribute Mapping page. */
function ObjectMappings({ servicePrincipalId, jobId, applicationName }: MappingsListProps) {
  const page = usePageStyles();
  const can = useCan();
  const schema = useSchemaQuery(servicePrincipalId, jobId);

  if (!jobId) {
    return (
      <Text className={page.muted}>
        The mappings appear once the admin credentials are saved. By default users and groups are provisioned
        with the standard SCIM attribute mappings.
      </Text>
    );
  }
  if (schema.isPending) return <LoadingState label="Loading mappings…" />;
  if (schema.isError) {
    return (
      <ErrorState
        title="Mappings could not be loaded"
        error={schema.error}
        onRetry={() => void schema.refetch()}
      />
    );
  }
  const mappings = schema.data.synchronizationRules.flatMap((rule) => rule.objectMappings);
  if (mappings.length === 0) {
    return <Text className={page.muted}>This job has no object mappings, so nothing is provisioned.</Text>;
  }
  return (
    <>
      <Text>
        Mappings allow you to define how data should flow between the directory and {applicationName}. Select
        a mapping to {can.manage ? 'edit' : 'see'} its attribute mappings.
      </Text>
      <Table aria-label="Mappings" size="small" style={{ maxWidth: 720 }}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell style={{ width: 120 }}>Enabled</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {mappings.map((mapping, index) => (
            <TableRow key={`${mapping.sourceObjectName}-${mapping.targetObjectName}-${mapping.name}`}>
              <TableCell>
                <Link to={paths.attributeMapping(servicePrincipalId, index)}>{mapping.name}</Link>
              </TableCell>
              <TableCell>{yesNo(mapping.enabled)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
