import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { userKeys } from '../users/keys';
import { groupKeys } from './keys';

export interface MemberRef {
  id: string;
  displayName: string;
  type: 'User' | 'Group';
}

const groupPath = (groupId: string) => `${GRAPH}/groups/${encodeURIComponent(groupId)}`;

function useInvalidateMembers() {
  const queryClient = useQueryClient();
  return (groupId: string, member: MemberRef) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: groupKeys.detail(groupId) }),
      queryClient.invalidateQueries({ queryKey: groupKeys.lists() }),
      ...(member.type === 'User'
        ? [queryClient.invalidateQueries({ queryKey: userKeys.detail(member.id) })]
        : []),
    ]);
}

/** Add members: users, or groups as nested members (Graph's `members/$ref`), one request each. */
export function useGroupMembersAddMutation(groupId: string) {
  const notify = useNotify();
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: async (members: MemberRef[]) => {
      for (const m of members) {
        await api.post(`${groupPath(groupId)}/members/$ref`, {
          '@odata.id': `${m.type === 'User' ? 'users' : 'groups'}/${m.id}`,
        });
      }
    },
    onSuccess: async (_r, members) => {
      notify.success(
        members.length === 1
          ? `Added ${members[0]?.displayName ?? 'the member'}`
          : `Added ${members.length} members`,
      );
      await Promise.all(members.map((m) => invalidate(groupId, m)));
    },
    onError: async (error, members) => {
      notify.error('Could not add the members', error);
      await Promise.all(members.map((m) => invalidate(groupId, m)));
    },
  });
}

export function useGroupMemberRemoveMutation(groupId: string) {
  const notify = useNotify();
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: (member: MemberRef) =>
      api.delete(`${groupPath(groupId)}/members/${encodeURIComponent(member.id)}/$ref`),
    onSuccess: async (_r, member) => {
      notify.success(`Removed ${member.displayName}`);
      await invalidate(groupId, member);
    },
    onError: (error) => notify.error('Could not remove the member', error),
  });
}
