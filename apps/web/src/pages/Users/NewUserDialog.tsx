import { UserFormDialog } from './UserFormDialog';

/** New user: the user form without a user (the Users list's "New user"). */
export function NewUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return <UserFormDialog open={open} onClose={onClose} />;
}
