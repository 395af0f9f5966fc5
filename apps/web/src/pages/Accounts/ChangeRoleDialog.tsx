import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Radio,
  RadioGroup,
  Text,
} from '@fluentui/react-components';
import type { Account, Role } from '@provisio/contracts';
import { useState } from 'react';
import { useAccountRoleMutation } from '../../data/accounts/account-role-mutation';
import { ROLES, ROLE_DESCRIPTION, ROLE_LABEL } from '../../data/auth/use-can';
import { useReturnFocus } from '../../hooks/use-return-focus';

/**
 * Change role: the new role, and the confirmation that the account's sessions end (it signs in
 * again with the new role). Mounted per account, so it opens on the account's current role.
 */
export function ChangeRoleDialog({
  account,
  self,
  onClose,
}: {
  account: Account;
  self: boolean;
  onClose: () => void;
}) {
  useReturnFocus();
  const change = useAccountRoleMutation();
  const [role, setRole] = useState<Role>(account.role);

  return (
    <Dialog open modalType="alert" onOpenChange={(_e, d) => (d.open ? undefined : onClose())}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Change role of {account.userName}</DialogTitle>
          <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
            <Field label="Role" required>
              <RadioGroup value={role} onChange={(_e, d) => setRole(d.value as Role)}>
                {ROLES.map((r) => (
                  <Radio key={r} value={r} label={`${ROLE_LABEL[r]}: ${ROLE_DESCRIPTION[r]}`} />
                ))}
              </RadioGroup>
            </Field>
            <Text>
              {self
                ? 'This is your own account: your sessions end, this one too, and you sign in again with the new role.'
                : `Every session of ${account.userName} ends at once: they sign in again with the new role.`}
            </Text>
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={role === account.role || change.isPending}
              onClick={() => change.mutate({ account, role }, { onSuccess: onClose })}
            >
              Change role
            </Button>
            <Button onClick={onClose} disabled={change.isPending}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
