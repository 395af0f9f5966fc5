import { Button, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger } from '@fluentui/react-components';
import {
  Delete20Regular,
  MoreHorizontal20Regular,
  Open20Regular,
  PersonAvailable20Regular,
  PersonProhibited20Regular,
} from '@fluentui/react-icons';
import type { User } from '@provisio/contracts';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useCan } from '../../data/auth/use-can';
import { useUserEnabledMutation } from '../../data/users/user-enabled-mutation';
import { paths } from '../../paths';
import { DeleteUserDialog } from '../User/UserStateCommands';

/** A user's row menu: open the user's page, Disable / Enable, Delete (after a confirmation). */
export function UserActionsMenu({ user }: { user: User }) {
  const navigate = useNavigate();
  const can = useCan();
  const enabled = useUserEnabledMutation();
  const [deleting, setDeleting] = useState<User | null>(null);
  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button
            size="small"
            appearance="subtle"
            icon={<MoreHorizontal20Regular />}
            aria-label={`Actions for ${user.displayName}`}
          />
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem icon={<Open20Regular />} onClick={() => void navigate(paths.user(user.id))}>
              Open
            </MenuItem>
            {can.manage ? (
              <>
                <MenuItem
                  icon={user.accountEnabled ? <PersonProhibited20Regular /> : <PersonAvailable20Regular />}
                  onClick={() => enabled.mutate({ user, enabled: !user.accountEnabled })}
                >
                  {user.accountEnabled ? 'Disable' : 'Enable'}
                </MenuItem>
                <MenuItem icon={<Delete20Regular />} onClick={() => setDeleting(user)}>
                  Delete
                </MenuItem>
              </>
            ) : null}
          </MenuList>
        </MenuPopover>
      </Menu>
      <DeleteUserDialog user={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
