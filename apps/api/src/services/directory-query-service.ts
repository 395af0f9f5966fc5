import {
  groupSchema,
  userSchema,
  type DeltaPage,
  type DeltaQuery,
  type DirectoryListQuery,
  type Group,
  type GroupDelta,
  type MemberDelta,
  type User,
  type UserDelta,
} from '@provisio/contracts';
import type { DirectoryCondition, Page } from '@provisio/db';
import { AppError, invalidField } from '../errors';
import {
  DirectoryParameterError,
  GROUP_VOCABULARY,
  parseDirectoryFilter,
  parseDirectorySearch,
  parseDirectorySelect,
  selectProperties,
  supportedFilterProperties,
  USER_VOCABULARY,
  type DirectoryVocabulary,
} from '../filters/directory-filters';
import { FilterError } from '../filters/odata-filter';
import type { ServiceDeps } from './context';
import { checkSkipToken, DEFAULT_PAGE_SIZE } from './paging';
import { toUser } from './users-service';

type ObjectType = 'user' | 'group';

const USER_PROPERTIES = Object.keys(userSchema.properties);
const GROUP_PROPERTIES = [...Object.keys(groupSchema.properties), 'members'];

/**
 * Where a delta round stands, carried in its links: the first pass walks the objects that exist
 * (by id, after `after`), the changes pass walks the change log (after change number `after`);
 * both stop at `upTo`, the newest change when the round began, which the deltaLink then carries.
 */
interface DeltaState {
  v: 1;
  type: ObjectType;
  phase: 'initial' | 'changes';
  since: number;
  upTo: number;
  after: string | number;
  select: string[] | null;
  top: number;
}
/** What a deltaLink carries: the change number the next round starts after. */
interface DeltaLinkState {
  v: 1;
  type: ObjectType;
  since: number;
  select: string[] | null;
  top: number;
}

const encode = (state: object): string => Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
function decode(token: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
const isSelect = (v: unknown): v is string[] | null =>
  v === null || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

export interface DeltaLinks {
  /** The absolute address of the next page of this round. */
  next(skiptoken: string): string;
  /** The absolute address of the next round. */
  delta(deltatoken: string): string;
}

/** Graph's list parameters and delta query on users and groups. */
export class DirectoryQueryService {
  constructor(private readonly deps: ServiceDeps) {}

  async listUsers(query: DirectoryListQuery): Promise<Page<Partial<User> & { id: string }>> {
    const { select, request } = this.listRequest(query, USER_VOCABULARY, USER_PROPERTIES);
    const page = await this.deps.db.directoryQueries.queryUsers(request);
    return { ...page, items: page.items.map((u) => selectProperties(toUser(u), select)) };
  }

  async listGroups(query: DirectoryListQuery): Promise<Page<Partial<Group> & { id: string }>> {
    const { select, request } = this.listRequest(
      query,
      GROUP_VOCABULARY,
      Object.keys(groupSchema.properties),
    );
    const page = await this.deps.db.directoryQueries.queryGroups(request);
    return { ...page, items: page.items.map((g) => selectProperties(g, select)) };
  }

  async usersDelta(query: DeltaQuery, links: DeltaLinks): Promise<DeltaPage<UserDelta>> {
    const state = await this.deltaState('user', query, USER_PROPERTIES);
    if (!state) return this.latest('user', query, links, USER_PROPERTIES);
    const { db } = this.deps;
    if (state.phase === 'initial') {
      const ids = await db.directoryQueries.listLiveIds('user', String(state.after), state.top + 1);
      const users = this.byId(await db.directory.listUsersByIds(ids.slice(0, state.top)));
      const value = ids.slice(0, state.top).flatMap((id) => {
        const u = users.get(id);
        return u ? [selectProperties(toUser(u), state.select)] : [];
      });
      return this.page(state, value, ids.length > state.top ? ids[state.top - 1]! : null, links);
    }
    const changed = await db.directoryQueries.listChangedIds(
      'user',
      Number(state.after),
      state.upTo,
      state.top + 1,
    );
    const shown = changed.slice(0, state.top);
    const users = this.byId(await db.directory.listUsersByIds(shown.map((c) => c.id)));
    const value = shown.map(({ id }): UserDelta => {
      const u = users.get(id);
      if (!u) return { id, '@removed': { reason: 'deleted' } };
      if (u.deletedDateTime) return { id, '@removed': { reason: 'changed' } };
      return selectProperties(toUser(u), state.select);
    });
    return this.page(state, value, changed.length > state.top ? shown[shown.length - 1]!.seq : null, links);
  }

  async groupsDelta(query: DeltaQuery, links: DeltaLinks): Promise<DeltaPage<GroupDelta>> {
    const state = await this.deltaState('group', query, GROUP_PROPERTIES);
    if (!state) return this.latest('group', query, links, GROUP_PROPERTIES);
    const { db } = this.deps;
    const withMembers = !state.select || state.select.includes('members');
    const select = state.select?.filter((p) => p !== 'members') ?? null;
    const shape = (g: Group): GroupDelta => selectProperties(g, select);
    if (state.phase === 'initial') {
      const ids = await db.directoryQueries.listLiveIds('group', String(state.after), state.top + 1);
      const shown = ids.slice(0, state.top);
      const groups = this.byId(await db.directory.listGroupsByIds(shown));
      const members = withMembers ? await this.membersDelta(shown) : new Map<string, MemberDelta[]>();
      const value = shown.flatMap((id) => {
        const g = groups.get(id);
        return g ? [withMembersDelta(shape(g), members.get(id))] : [];
      });
      return this.page(state, value, ids.length > state.top ? shown[shown.length - 1]! : null, links);
    }
    const changed = await db.directoryQueries.listChangedIds(
      'group',
      Number(state.after),
      state.upTo,
      state.top + 1,
    );
    const shown = changed.slice(0, state.top);
    const groups = this.byId(await db.directory.listGroupsByIds(shown.map((c) => c.id)));
    const live = shown
      .filter(({ id }) => groups.get(id) && !groups.get(id)!.deletedDateTime)
      .map((c) => c.id);
    const members = withMembers
      ? await this.membersDelta(live, { since: state.since, upTo: state.upTo })
      : new Map<string, MemberDelta[]>();
    const value = shown.map(({ id }): GroupDelta => {
      const g = groups.get(id);
      if (!g) return { id, '@removed': { reason: 'deleted' } };
      if (g.deletedDateTime) return { id, '@removed': { reason: 'changed' } };
      return withMembersDelta(shape(g), members.get(id));
    });
    return this.page(state, value, changed.length > state.top ? shown[shown.length - 1]!.seq : null, links);
  }

  private async membersDelta(
    groupIds: readonly string[],
    window?: { since: number; upTo: number },
  ): Promise<Map<string, MemberDelta[]>> {
    const out = new Map<string, MemberDelta[]>();
    for (const m of await this.deps.db.directoryQueries.listMemberChanges(groupIds, window)) {
      const list = out.get(m.groupId) ?? [];
      list.push({
        '@odata.type': '#microsoft.graph.user',
        id: m.userId,
        ...(m.member ? {} : { '@removed': { reason: 'deleted' as const } }),
      });
      out.set(m.groupId, list);
    }
    return out;
  }

  private byId<T extends { id: string }>(items: T[]): Map<string, T> {
    return new Map(items.map((i) => [i.id, i]));
  }

  /** The last page of a round carries the deltaLink; the others a nextLink to the rest of the round. */
  private page<T>(
    state: DeltaState,
    value: T[],
    after: string | number | null,
    links: DeltaLinks,
  ): DeltaPage<T> {
    if (after !== null) return { value, '@odata.nextLink': links.next(encode({ ...state, after })) };
    const next: DeltaLinkState = {
      v: 1,
      type: state.type,
      since: state.upTo,
      select: state.select,
      top: state.top,
    };
    return { value, '@odata.deltaLink': links.delta(encode(next)) };
  }

  /** `$deltatoken=latest`: no objects, only a deltaLink for the changes from now on (as Graph). */
  private async latest<T>(
    type: ObjectType,
    query: DeltaQuery,
    links: DeltaLinks,
    properties: readonly string[],
  ): Promise<DeltaPage<T>> {
    const next: DeltaLinkState = {
      v: 1,
      type,
      since: await this.deps.db.directory.latestChangeSeq(),
      select: this.select(query.$select, properties),
      top: query.$top ?? DEFAULT_PAGE_SIZE,
    };
    return { value: [], '@odata.deltaLink': links.delta(encode(next)) };
  }

  /** Where this request's page of a round starts; null for `$deltatoken=latest`. */
  private async deltaState(
    type: ObjectType,
    query: DeltaQuery,
    properties: readonly string[],
  ): Promise<DeltaState | null> {
    const resource = type === 'user' ? 'users' : 'groups';
    const chosen = query.$select === undefined ? undefined : this.select(query.$select, properties);
    if (query.$skiptoken !== undefined && query.$skiptoken !== '') {
      const s = decode(query.$skiptoken);
      if (
        !s ||
        s.v !== 1 ||
        s.type !== type ||
        (s.phase !== 'initial' && s.phase !== 'changes') ||
        !isCount(s.since) ||
        !isCount(s.upTo) ||
        !isSelect(s.select) ||
        !isCount(s.top) ||
        (s.phase === 'initial' ? typeof s.after !== 'string' : !isCount(s.after))
      ) {
        throw badToken('$skiptoken', resource);
      }
      const state = s as unknown as DeltaState;
      if (state.phase === 'changes') await this.checkNotExpired(state.since, '$skiptoken', resource);
      return { ...state, select: chosen ?? state.select, top: query.$top ?? state.top };
    }
    const upTo = await this.deps.db.directory.latestChangeSeq();
    if (query.$deltatoken !== undefined && query.$deltatoken !== '') {
      if (query.$deltatoken === 'latest') return null;
      const d = decode(query.$deltatoken);
      if (!d || d.v !== 1 || d.type !== type || !isCount(d.since) || !isSelect(d.select) || !isCount(d.top)) {
        throw badToken('$deltatoken', resource);
      }
      const link = d as unknown as DeltaLinkState;
      await this.checkNotExpired(link.since, '$deltatoken', resource);
      return {
        v: 1,
        type,
        phase: 'changes',
        since: link.since,
        upTo,
        after: link.since,
        select: chosen ?? link.select,
        top: query.$top ?? link.top,
      };
    }
    return {
      v: 1,
      type,
      phase: 'initial',
      since: 0,
      upTo,
      after: '',
      select: chosen ?? null,
      top: query.$top ?? DEFAULT_PAGE_SIZE,
    };
  }

  /** A token is good while the change log still holds the changes after it, and no later than the log. */
  private async checkNotExpired(since: number, parameter: string, resource: string): Promise<void> {
    const { first, last } = await this.deps.db.directoryQueries.changeRange();
    if (since > last || (first > 1 && since < first - 1)) {
      throw new AppError(
        'delta.token_expired',
        400,
        `querystring/${parameter}: this delta token has expired or belongs to another directory. Start a new delta round with GET /api/v1.0/${resource}/delta and keep its @odata.deltaLink.`,
        [
          {
            code: 'delta.token_expired',
            message: 'Start a new delta round.',
            target: `querystring/${parameter}`,
          },
        ],
      );
    }
  }

  private select(select: string | undefined, properties: readonly string[]): string[] | null {
    try {
      return parseDirectorySelect(select, properties);
    } catch (error) {
      if (error instanceof DirectoryParameterError) throw invalidField('querystring/$select', error.message);
      throw error;
    }
  }

  private listRequest(
    query: DirectoryListQuery,
    vocabulary: DirectoryVocabulary,
    properties: readonly string[],
  ) {
    const select = this.select(query.$select, properties);
    let search;
    try {
      search = parseDirectorySearch(query.$search, vocabulary);
    } catch (error) {
      if (error instanceof DirectoryParameterError) throw invalidField('querystring/$search', error.message);
      throw error;
    }
    let filter: DirectoryCondition | undefined;
    if (query.$filter !== undefined) {
      try {
        filter = parseDirectoryFilter(query.$filter, vocabulary);
      } catch (error) {
        if (!(error instanceof FilterError)) throw error;
        const supported = supportedFilterProperties(vocabulary);
        const message = error.message.includes('Supported properties')
          ? error.message
          : `${error.message} Supported properties: ${supported}.`;
        throw new AppError('filter.invalid', 400, `$filter: ${message}`, [
          { code: 'filter.invalid', message, target: 'querystring/$filter' },
        ]);
      }
    }
    return {
      select,
      request: {
        top: query.$top ?? DEFAULT_PAGE_SIZE,
        cursor: checkSkipToken(query.$skiptoken),
        filter,
        search,
        count: query.$count === true,
      },
    };
  }
}

function withMembersDelta(group: GroupDelta, members: MemberDelta[] | undefined): GroupDelta {
  return members && members.length > 0 ? { ...group, 'members@delta': members } : group;
}

function badToken(parameter: string, resource: string): AppError {
  return new AppError(
    'delta.invalid_token',
    400,
    `querystring/${parameter} is not a token of a ${resource} delta round. Follow the @odata.nextLink or @odata.deltaLink as it was given, or start a new delta round with GET /api/v1.0/${resource}/delta.`,
    [
      {
        code: 'delta.invalid_token',
        message: 'Start a new delta round.',
        target: `querystring/${parameter}`,
      },
    ],
  );
}
