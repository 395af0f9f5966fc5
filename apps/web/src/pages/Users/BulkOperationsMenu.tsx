import {
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  ToolbarButton,
} from '@fluentui/react-components';
import { PeopleList20Regular } from '@fluentui/react-icons';
import { useNavigate } from 'react-router';
import { useCan } from '../../data/auth/use-can';
import { paths } from '../../paths';

/**
 * The Users command bar's Bulk operations, as in Entra: create, update or delete users from a
 * CSV file, and the results of past operations (which every role may read).
 */
export function BulkOperationsMenu() {
  const can = useCan();
  const navigate = useNavigate();
  const go = (to: string) => () => void navigate(to);
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <ToolbarButton icon={<PeopleList20Regular />}>Bulk operations</ToolbarButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {can.manage ? (
            <>
              <MenuItem onClick={go(paths.bulkOperations('create'))}>Bulk create</MenuItem>
              <MenuItem onClick={go(paths.bulkOperations('update'))}>Bulk update</MenuItem>
              <MenuItem onClick={go(paths.bulkOperations('delete'))}>Bulk delete</MenuItem>
            </>
          ) : null}
          <MenuItem onClick={go(paths.bulkOperations())}>Bulk operation results</MenuItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
