import {
  Button,
  Menu,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Spinner,
} from '@fluentui/react-components';
import { ChevronDown16Regular, History20Regular, QuestionCircle20Regular } from '@fluentui/react-icons';
import type { User } from '@provisio/contracts';
import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { allItems } from '../../api/collections';
import { servicePrincipalsQueryOptions } from '../../data/service-principals/service-principals-query';
import { provisioningJobQueryOptions } from '../../data/synchronization/jobs-query';
import { paths } from '../../paths';

/**
 * A user's row menu: "Explain provisioning" for each application with a provisioning job (the user
 * could be provisioned to it), and the user's timeline. The applications load when the menu opens.
 */
export function UserProvisioningMenu({ user }: { user: User }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const apps = useInfiniteQuery({ ...servicePrincipalsQueryOptions(''), enabled: open });
  const list = open ? allItems(apps.data) : [];
  const jobs = useQueries({
    queries: list.map((app) => ({
      ...provisioningJobQueryOptions(app.id),
      // A menu needs to know whether a job exists, not to follow its cycles.
      refetchInterval: false as const,
    })),
  });
  const withJob = list.filter((_app, i) => jobs[i]?.data);
  const loading = apps.isPending || jobs.some((j) => j.isPending);

  return (
    <Menu open={open} onOpenChange={(_e, d) => setOpen(d.open)}>
      <MenuTrigger disableButtonEnhancement>
        <Button
          size="small"
          appearance="subtle"
          icon={<ChevronDown16Regular />}
          iconPosition="after"
          aria-label={`Provisioning of ${user.displayName}`}
        >
          Provisioning
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          <MenuGroup>
            <MenuGroupHeader>Explain provisioning</MenuGroupHeader>
            {withJob.map((app) => (
              <MenuItem
                key={app.id}
                icon={<QuestionCircle20Regular />}
                onClick={() => void navigate(paths.explain(app.id, { id: user.id }))}
              >
                Explain provisioning in {app.displayName}
              </MenuItem>
            ))}
            {loading ? (
              <MenuItem disabled>
                <Spinner size="tiny" label="Loading applications…" labelPosition="after" />
              </MenuItem>
            ) : withJob.length === 0 ? (
              <MenuItem disabled>No application provisions users yet</MenuItem>
            ) : null}
          </MenuGroup>
          <MenuDivider />
          <MenuItem icon={<History20Regular />} onClick={() => void navigate(paths.objectTimeline(user.id))}>
            Timeline of this object
          </MenuItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
