import type { ProvisioDb } from '@provisio/db';

/**
 * Which source object holds each target object, for one cycle (or one provision on demand): an
 * object matched by attribute to a target object that another source object holds is not linked
 * to it (DuplicateSourceEntries), so two directory objects never share, rename or delete one
 * account or group.
 *
 * The job's links of a type are read once, at the first match by attribute of that type: a cycle
 * that matches nothing (an initial cycle into an empty target) reads nothing. The links the cycle
 * writes are noted as it writes them: while nothing is read, each is kept only until its commit
 * (the read finds it then); once read, the read map follows them.
 */
export class TargetLinks {
  /** objectType → target id → source id, read from the connector records. */
  private readonly read = new Map<string, Promise<Map<string, string>>>();
  /** Links written and not yet committed: `objectType targetId` → source id. */
  private readonly uncommitted = new Map<string, string>();

  constructor(
    private readonly db: ProvisioDb,
    private readonly jobId: string,
  ) {}

  /** The source object holding `targetId`, if any. */
  async holderOf(objectType: string, targetId: string): Promise<string | undefined> {
    const noted = this.uncommitted.get(`${objectType} ${targetId}`);
    if (noted !== undefined) return noted;
    let links = this.read.get(objectType);
    if (!links) {
      links = this.db.connector.listHoldersByTargetId(this.jobId, objectType);
      this.read.set(objectType, links);
    }
    return (await links).get(targetId);
  }

  /**
   * Notes a connector record the cycle writes: its source object moved from the target object
   * `before` to `after` (null when it holds none). `committed` settles with the write.
   */
  note(
    objectType: string,
    sourceId: string,
    before: string | null,
    after: string | null,
    committed: Promise<void>,
  ): void {
    if (before === after) return;
    if (before !== null && this.uncommitted.get(`${objectType} ${before}`) === sourceId)
      this.uncommitted.delete(`${objectType} ${before}`);
    const links = this.read.get(objectType);
    if (links) {
      follow(links, sourceId, before, after);
      return;
    }
    if (after === null) return;
    const key = `${objectType} ${after}`;
    this.uncommitted.set(key, sourceId);
    const settle = () => {
      const read = this.read.get(objectType);
      // Read meanwhile, the read may have missed the write: the link moves into it, and stays
      // noted too, for a lookup already waiting for that read.
      if (read) follow(read, sourceId, before, after);
      else if (this.uncommitted.get(key) === sourceId) this.uncommitted.delete(key);
    };
    committed.then(settle, settle);
  }
}

/** Moves a source object's link in a read of links, once read (a failed read fails its lookups instead). */
function follow(
  read: Promise<Map<string, string>>,
  sourceId: string,
  before: string | null,
  after: string | null,
): void {
  read.then(
    (links) => {
      if (before !== null && links.get(before) === sourceId) links.delete(before);
      if (after !== null) links.set(after, sourceId);
    },
    () => {},
  );
}
