// The invariants of a change of a conversation's assignee or status, in one place: the store's
// writers (its plain-SQL compare-and-set on routing's hot path and its general update) write what
// this says, so they cannot disagree.
import type { Conversation } from "./domain.ts";

/** What the invariants depend on: whether it is open, and who holds it. */
export type AssignmentState = Pick<Conversation, "status" | "assigneeId">;

/** An agent whose open count moves: they hold one open conversation more, or one fewer. */
export interface OpenCountChange {
  agentId: number;
  delta: 1 | -1;
  /** Set when the conversation was just given to them (routing's "assigned longest ago"). */
  lastAssignedAt?: Date;
}

export interface AssignmentChange {
  /** Columns to write with the change; one left out keeps its value. */
  columns: Partial<Pick<Conversation, "assignedAt" | "unassignedFromId">> & { heroWaitUntil?: null };
  /** An agent's open count is the number of open conversations they hold. */
  openCounts: OpenCountChange[];
}

/**
 * What changes with the move from `current` to `next`:
 * - a new assignee: assignedAt is now (back to the queue: null), and it no longer waits for a
 *   hero; taken from someone to the queue, it remembers them (unassignedFromId), so routing does
 *   not hand it straight back; held by anyone, it forgets;
 * - closed: nobody needs keeping away from it and it waits for no hero (reopened, it is routed
 *   afresh);
 * - the holder of an open conversation counts it: closing, reopening and moving it move counts.
 * Moving it to whoever holds it already changes nothing.
 */
export function assignmentChange(
  current: AssignmentState,
  next: AssignmentState,
  now: Date,
): AssignmentChange {
  const columns: AssignmentChange["columns"] = {};
  const moved = next.assigneeId !== current.assigneeId;
  if (moved) {
    columns.assignedAt = next.assigneeId === null ? null : now;
    columns.heroWaitUntil = null;
    columns.unassignedFromId = next.assigneeId === null ? current.assigneeId : null;
  }
  if (next.status === "closed") {
    columns.unassignedFromId = null;
    columns.heroWaitUntil = null;
  }
  const openCounts: OpenCountChange[] = [];
  const from = holder(current);
  const to = holder(next);
  if (from !== to) {
    if (from !== null) openCounts.push({ agentId: from, delta: -1 });
    if (to !== null) openCounts.push({ agentId: to, delta: 1, ...(moved ? { lastAssignedAt: now } : {}) });
  }
  return { columns, openCounts };
}

/** Whose open count the conversation is in: its assignee while it is open. */
const holder = (s: AssignmentState) => (s.status === "open" ? s.assigneeId : null);
