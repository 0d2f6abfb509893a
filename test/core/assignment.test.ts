// The invariants of a change of assignee or status, one named case each (every store writer uses them).
import { describe, expect, it } from "vitest";
import { type AssignmentChange, type AssignmentState, assignmentChange } from "../../src/core/assignment.ts";

const now = new Date("2026-11-21T10:00:00Z");
const open = (assigneeId: number | null): AssignmentState => ({ status: "open", assigneeId });
const closed = (assigneeId: number | null): AssignmentState => ({ status: "closed", assigneeId });

/** Given to an agent: assigned now, waits for no hero, forgets whom it was taken from. */
const givenTo = { assignedAt: now, heroWaitUntil: null, unassignedFromId: null } as const;

const cases: [string, AssignmentState, AssignmentState, AssignmentChange][] = [
  [
    "assigned from the queue (routing, a manual assign): the new holder counts it and was assigned now",
    open(null),
    open(7),
    { columns: givenTo, openCounts: [{ agentId: 7, delta: 1, lastAssignedAt: now }] },
  ],
  [
    "claimed: the same as any assignment from the queue",
    open(null),
    open(3),
    { columns: givenTo, openCounts: [{ agentId: 3, delta: 1, lastAssignedAt: now }] },
  ],
  [
    "reassigned: one fewer for the previous holder, one more for the new one",
    open(7),
    open(8),
    {
      columns: givenTo,
      openCounts: [
        { agentId: 7, delta: -1 },
        { agentId: 8, delta: 1, lastAssignedAt: now },
      ],
    },
  ],
  [
    "unassigned by a person: back in the queue, remembering whom it was taken from",
    open(7),
    open(null),
    {
      columns: { assignedAt: null, heroWaitUntil: null, unassignedFromId: 7 },
      openCounts: [{ agentId: 7, delta: -1 }],
    },
  ],
  [
    "closed while held: the holder has room again; it is kept from nobody and waits for no hero",
    open(7),
    closed(7),
    { columns: { unassignedFromId: null, heroWaitUntil: null }, openCounts: [{ agentId: 7, delta: -1 }] },
  ],
  [
    "closed in the queue (maybe waiting for a busy hero): the wait ends, no count moves",
    open(null),
    closed(null),
    { columns: { unassignedFromId: null, heroWaitUntil: null }, openCounts: [] },
  ],
  [
    "reopened with its holder: they count it again, but it was not just assigned to them",
    closed(7),
    open(7),
    { columns: {}, openCounts: [{ agentId: 7, delta: 1 }] },
  ],
  [
    "reopened in the queue: nothing moves (routing picks it up afresh)",
    closed(null),
    open(null),
    { columns: {}, openCounts: [] },
  ],
  [
    "a busy hero's conversation assigned at last: the hero wait is cleared with the assignment",
    open(null),
    open(5),
    { columns: givenTo, openCounts: [{ agentId: 5, delta: 1, lastAssignedAt: now }] },
  ],
  ["to whoever holds it already: nothing changes", open(7), open(7), { columns: {}, openCounts: [] }],
  [
    "from the queue to the queue (a hero wait that is over): nothing changes, the wait included",
    open(null),
    open(null),
    { columns: {}, openCounts: [] },
  ],
];

describe("assignmentChange", () => {
  it.each(cases)("%s", (_name, current, next, change) => {
    expect(assignmentChange(current, next, now)).toEqual(change);
  });
});
