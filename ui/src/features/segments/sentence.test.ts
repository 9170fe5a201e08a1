import { EXAMPLE_FILTER } from "../../../test/fakeSegments";
import { fromFilter, newGroup, newRule, type FilterNode } from "./filter";
import { describeFilter } from "./sentence";

const ctx = {
  customFields: [
    { key: "plan", kind: "text" as const },
    { key: "seats", kind: "number" as const },
    { key: "renewal_date", kind: "date" as const },
    { key: "trial", kind: "boolean" as const },
  ],
  segmentNames: new Map([["s-1", "Big spenders"]]),
};
const say = (...rules: FilterNode[]) => describeFilter(fromFilter({ all: rules }), ctx);

describe("filter sentence", () => {
  it("reads the whole example filter as one sentence", () => {
    expect(describeFilter(fromFilter(EXAMPLE_FILTER), ctx)).toBe(
      "Contacts who have any of the tags vip, newsletter and (whose last interaction was within the last 30 days or " +
        "who have a project that is active or won) and whose revenue is at least 10,000 and whose plan is “pro” and " +
        "not (whose country is United States)",
    );
  });

  it("says every contact when there is no rule, and leaves out empty groups", () => {
    expect(describeFilter(newGroup("all"), ctx)).toBe("All contacts");
    expect(describeFilter(newGroup("any", [newGroup("all")]), ctx)).toBe("All contacts");
    expect(describeFilter(fromFilter({ any: [{ all: [] }, { field: "email", op: "is_empty" }] }), ctx)).toBe("Contacts whose email is empty");
  });

  it("phrases a root 'none of' group as an exception", () => {
    expect(describeFilter(fromFilter({ none: [{ field: "tag", op: "has_any", value: ["spam"] }, { field: "email_status", op: "in", value: ["bounced"] }] }), ctx)).toBe(
      "Contacts except those who have the tag spam or whose email status is bounced",
    );
  });

  it("words text, country and status rules", () => {
    expect(say({ field: "email", op: "ends_with", value: "@acme.com" })).toBe("Contacts whose email ends with “@acme.com”");
    expect(say({ field: "company", op: "in", value: ["Acme", "Globex", "Initech"] })).toBe("Contacts whose company is “Acme”, “Globex” or “Initech”");
    expect(say({ field: "city", op: "not_in", value: ["Leeds", "York"] })).toBe("Contacts whose city is none of “Leeds” and “York”");
    expect(say({ field: "region", op: "is_not_empty" })).toBe("Contacts whose region is not empty");
    expect(say({ field: "country", op: "in", value: ["GB", "IE"] })).toBe("Contacts whose country is United Kingdom or Ireland");
    expect(say({ field: "country", op: "not_in", value: ["DE"] })).toBe("Contacts whose country is not Germany");
    expect(say({ field: "country", op: "neq", value: "FR" })).toBe("Contacts whose country is not France");
    expect(say({ field: "country", op: "is_empty" })).toBe("Contacts whose country is not set");
    expect(say({ field: "sms_status", op: "not_in", value: ["opted_out", "invalid"] })).toBe("Contacts whose SMS status is none of opted out and invalid number");
  });

  it("words tags, projects, numbers and segments", () => {
    expect(say({ field: "tag", op: "has_all", value: ["a", "b"] })).toBe("Contacts who have all of the tags a, b");
    expect(say({ field: "tag", op: "has_none", value: ["spam"] })).toBe("Contacts who do not have the tag spam");
    expect(say({ field: "tag", op: "has_none", value: ["a", "b"] })).toBe("Contacts who have none of the tags a, b");
    expect(say({ field: "project_status", op: "not_in", value: ["on_hold"] })).toBe("Contacts who have no project that is on hold");
    expect(say({ field: "project_status", op: "is_empty" })).toBe("Contacts who have no projects");
    expect(say({ field: "revenue", op: "between", value: [1000, 2500.5] })).toBe("Contacts whose revenue is between 1,000 and 2,500.5");
    expect(say({ field: "custom.seats", op: "lt", value: 5 })).toBe("Contacts whose seats is less than 5");
    expect(say({ field: "custom.seats", op: "is_empty" })).toBe("Contacts whose seats is not set");
    expect(say({ field: "custom.trial", op: "is_true" })).toBe("Contacts whose trial is yes");
    expect(say({ field: "custom.trial", op: "is_not_empty" })).toBe("Contacts whose trial is set");
    expect(say({ field: "segment", op: "in", value: "s-1" })).toBe("Contacts who are in the segment “Big spenders”");
    expect(say({ field: "segment", op: "not_in", value: "s-9" })).toBe("Contacts who are not in a segment that no longer exists");
  });

  it("words dates", () => {
    expect(say({ field: "created_at", op: "before", value: "2024-03-01" })).toBe("Contacts who were added before Mar 1, 2024");
    expect(say({ field: "created_at", op: "more_than_ago", value: { amount: 1, unit: "years" } })).toBe("Contacts who were added more than 1 year ago");
    expect(say({ field: "last_interaction", op: "between", value: ["2024-01-01", "2024-01-31"] })).toBe(
      "Contacts whose last interaction was between Jan 1, 2024 and Jan 31, 2024",
    );
    expect(say({ field: "last_interaction", op: "is_empty" })).toBe("Contacts who have no interactions");
    expect(say({ field: "last_interaction", op: "is_not_empty" })).toBe("Contacts who have had an interaction");
    expect(say({ field: "custom.renewal_date", op: "after", value: "2025-12-31" })).toBe("Contacts whose renewal date is after Dec 31, 2025");
    expect(say({ field: "created_at", op: "is_not_empty" })).toBe("Contacts whose date added is set");
  });

  it("marks values not entered yet, and shows rules it cannot edit as they are", () => {
    const draft = newGroup("all", [
      newRule("email", "contains", ""),
      newRule("tag", "has_any", []),
      newRule("revenue", "between", [10, null]),
      newRule("last_interaction", "within_last", { amount: null, unit: "weeks" }),
      newRule("segment", "in", ""),
      newRule("opened", "within_last", { amount: 7, unit: "days" }),
    ]);
    expect(describeFilter(draft, ctx)).toBe(
      "Contacts whose email contains … and who have any of the tags … and whose revenue is between 10 and … and " +
        "whose last interaction was within the last … weeks and who are in the segment … and " +
        'whose opened within_last {"amount":7,"unit":"days"}',
    );
  });
});
