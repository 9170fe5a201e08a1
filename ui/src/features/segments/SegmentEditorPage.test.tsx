import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type userEvent from "@testing-library/user-event";
import type { SegmentPreview } from "../../bindings/SegmentPreview";
import type { SegmentPreviewQuery } from "../../bindings/SegmentPreviewQuery";
import { FakeBackend, commandError } from "../../../test/fakeBackend";
import { EXAMPLE_FILTER, FakeSegments } from "../../../test/fakeSegments";
import { renderApp } from "../../../test/render";
import { MAX_DEPTH } from "./filter";

type User = ReturnType<typeof userEvent.setup>;

function setup() {
  const fake = new FakeBackend().install();
  fake.add({ firstName: "Ada", lastName: "Lovelace", email: "ada@engines.co.uk", country: "GB", tags: ["vip", "newsletter"], revenueMinor: 2_000_000 }, { custom: { plan: "pro" } });
  fake.add({ firstName: "Grace", lastName: "Hopper", email: "grace@navy.example", country: "US", tags: ["vip"] }, { custom: { seats: 5 } });
  fake.add({ firstName: "Alan", lastName: "Turing", email: "alan@bletchley.example", country: "GB", tags: ["newsletter"] });
  const segs = new FakeSegments(fake).install();
  segs.customFields = [
    { key: "plan", kind: "text" },
    { key: "seats", kind: "number" },
    { key: "renewal", kind: "date" },
    { key: "trial", kind: "boolean" },
  ];
  return { fake, segs };
}

/** The input labelled `label` in `container` (a select's listbox carries the same label). */
const inputOf = (container: HTMLElement, label: string) => within(container).getByLabelText(label, { selector: "input" });
const previewCount = () => screen.getByTestId("segment-preview-count");
const rules = () => screen.getAllByTestId("filter-rule");
const groups = () => screen.getAllByTestId("filter-group");

async function choose(user: User, input: HTMLElement, option: string | RegExp) {
  await user.click(input);
  await user.click(await screen.findByRole("option", { name: option }));
}

/** The options a select offers, read from its open dropdown. */
async function optionsOf(user: User, input: HTMLElement): Promise<string[]> {
  await user.click(input);
  const listbox = await screen.findByRole("listbox");
  const names = within(listbox).getAllByRole("option").map((o) => o.textContent ?? "");
  await user.keyboard("{Escape}");
  return names;
}

async function openNew(prepare: (ctx: ReturnType<typeof setup>) => void = () => {}) {
  const ctx = setup();
  prepare(ctx);
  const view = renderApp("/segments/new");
  await waitFor(() => expect(previewCount()).toHaveTextContent("3"));
  return { ...ctx, ...view };
}

describe("segment builder", () => {
  it("starts with one rule, previews every contact, and says the empty rule is left out", async () => {
    await openNew();
    expect(screen.getByRole("heading", { name: "New segment" })).toBeInTheDocument();
    expect(rules()).toHaveLength(1);
    expect(inputOf(rules()[0]!, "Field")).toHaveValue("Tags");
    expect(inputOf(rules()[0]!, "Operator")).toHaveValue("has any of");
    expect(screen.getByTestId("segment-preview-skipped")).toHaveTextContent("1 rule has no value yet");
    expect(screen.getByTestId("segment-preview-elapsed")).toHaveTextContent("counted in 4 ms");
    expect(screen.getAllByTestId("segment-preview-row")).toHaveLength(3);
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("Contacts who have any of the tags …");
  });

  it("adds nested groups, each with a rule, and adds rules to the group asked", async () => {
    const { user } = await openNew();
    await user.click(screen.getByRole("button", { name: "Add group" }));
    expect(groups()).toHaveLength(2);
    const sub = groups()[1]!;
    expect(sub).toHaveAttribute("data-depth", "2");
    expect(sub).toHaveAttribute("data-path", "all[1]");
    expect(inputOf(sub, "Group match")).toHaveValue("Any of");
    await user.click(within(sub).getByRole("button", { name: "Add group" }));
    const subsub = groups()[2]!;
    expect(subsub).toHaveAttribute("data-depth", "3");
    expect(subsub).toHaveAttribute("data-path", "all[1].any[1]");
    expect(inputOf(subsub, "Group match")).toHaveValue("All of");
    await user.click(within(subsub).getByRole("button", { name: "Add rule" }));
    expect(within(subsub).getAllByTestId("filter-rule")).toHaveLength(2);
    expect(within(sub).getAllByTestId("filter-rule")).toHaveLength(3);
    expect(rules()).toHaveLength(4);
    await choose(user, within(sub).getAllByLabelText("Group match", { selector: "input" })[0]!, "None of");
    expect(groups()[1]).toHaveAttribute("data-match", "none");
    await user.click(within(groups()[1]!).getAllByRole("button", { name: "Remove group" })[0]!);
    expect(groups()).toHaveLength(1);
    expect(rules()).toHaveLength(1);
  });

  it("offers the operators of the field's type, custom field kinds included", async () => {
    const { user } = await openNew();
    const rule = rules()[0]!;
    const field = inputOf(rule, "Field");
    const operator = () => inputOf(rule, "Operator");

    expect(await optionsOf(user, operator())).toEqual(["has any of", "has all of", "has none of"]);

    await choose(user, field, "Revenue");
    expect(operator()).toHaveValue("is");
    expect(await optionsOf(user, operator())).toEqual(["is", "is not", "is more than", "is at least", "is less than", "is at most", "is between"]);

    await choose(user, field, "Company");
    expect(await optionsOf(user, operator())).toEqual([
      "is", "is not", "contains", "does not contain", "starts with", "ends with", "is any of", "is none of", "is empty", "is not empty",
    ]);

    await choose(user, field, "seats");
    expect(await optionsOf(user, operator())).toEqual([
      "is", "is not", "is more than", "is at least", "is less than", "is at most", "is between", "is not set", "is set",
    ]);
    await choose(user, field, "renewal");
    expect(await optionsOf(user, operator())).toEqual(["is before", "is after", "is between", "is within the last", "is more than … ago", "is not set", "is set"]);
    await choose(user, field, "trial");
    expect(await optionsOf(user, operator())).toEqual(["is yes", "is no", "is not set", "is set"]);
    await choose(user, field, "plan");
    expect(operator()).toHaveValue("is");
    await choose(user, field, "Project status");
    expect(await optionsOf(user, operator())).toEqual(["has a project that is", "has no project that is", "has no projects"]);
    await choose(user, field, "Segment");
    expect(await optionsOf(user, operator())).toEqual(["is in", "is not in"]);
  });

  it("groups the fields by kind in the picker, with the workspace's custom fields", async () => {
    const { user } = await openNew();
    await user.click(inputOf(rules()[0]!, "Field"));
    const listbox = await screen.findByRole("listbox");
    for (const heading of ["Contact text fields", "Location", "Tags & projects", "Dates", "Revenue", "Status", "Custom fields", "Segments"]) {
      expect(within(listbox).getAllByText(heading).length).toBeGreaterThan(0);
    }
    const options = within(listbox).getAllByRole("option").map((o) => o.textContent);
    expect(options).toEqual([
      "First name", "Last name", "Email", "Phone", "Company", "City", "State / region", "Country", "Tags", "Project status",
      "Date added", "Last interaction", "Revenue", "Email status", "SMS status", "plan", "renewal", "seats", "trial", "Segment",
    ]);
  });

  it("suggests the workspace's tags, and picks countries from a list", async () => {
    const { user } = await openNew();
    const rule = rules()[0]!;
    await user.click(inputOf(rule, "Value"));
    expect((await screen.findAllByRole("option")).map((o) => o.textContent)).toEqual(["newsletter", "vip"]);
    await user.keyboard("{Escape}");

    await choose(user, inputOf(rule, "Field"), "Country");
    await user.type(inputOf(rule, "Value"), "germ");
    await user.click(await screen.findByRole("option", { name: "Germany (DE)" }));
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("Contacts whose country is Germany");
    await choose(user, inputOf(rule, "Operator"), "is any of");
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("Contacts whose country is Germany");
  });

  it("takes a date, two dates, or an amount of time ago for date fields", async () => {
    const { user } = await openNew();
    const rule = rules()[0]!;
    const operator = inputOf(rule, "Operator");
    await choose(user, inputOf(rule, "Field"), "Date added");
    expect(inputOf(rule, "Value")).toHaveAttribute("type", "date");
    fireEvent.change(inputOf(rule, "Value"), { target: { value: "2024-03-01" } });
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("who were added before Mar 1, 2024");
    await choose(user, operator, "is between");
    expect(inputOf(rule, "From")).toHaveAttribute("type", "date");
    fireEvent.change(inputOf(rule, "To"), { target: { value: "2024-04-01" } });
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("who were added between … and Apr 1, 2024");
    await choose(user, operator, "is more than … ago");
    await user.type(inputOf(rule, "Amount"), "2");
    await choose(user, inputOf(rule, "Unit"), "weeks");
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("who were added more than 2 weeks ago");
    expect(within(rule).getByText("ago")).toBeInTheDocument();
    await choose(user, operator, "is not set");
    expect(within(rule).queryByLabelText("Value", { selector: "input" })).not.toBeInTheDocument();
  });

  it("takes numbers for revenue, statuses from lists, and nothing for yes/no fields", async () => {
    const { user } = await openNew();
    const rule = rules()[0]!;
    const field = inputOf(rule, "Field");
    await choose(user, field, "Revenue");
    await user.type(inputOf(rule, "Value"), "10000");
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("whose revenue is 10,000");
    await choose(user, inputOf(rule, "Operator"), "is between");
    await user.type(inputOf(rule, "From"), "5");
    await user.type(inputOf(rule, "To"), "10.5");
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("whose revenue is between 5 and 10.5");

    await choose(user, field, "Email status");
    await choose(user, inputOf(rule, "Value"), "Bounced");
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("whose email status is bounced");

    await choose(user, field, "Project status");
    await choose(user, inputOf(rule, "Value"), "On hold");
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("who have a project that is on hold");

    await choose(user, field, "trial");
    expect(within(rule).queryByLabelText("Value", { selector: "input" })).not.toBeInTheDocument();
  });

  it("picks saved segments by name, and takes text for text fields", async () => {
    const { user } = await openNew(({ segs }) => segs.add({ name: "Big spenders" }));
    const rule = rules()[0]!;
    const field = inputOf(rule, "Field");
    await choose(user, field, "Segment");
    await choose(user, inputOf(rule, "Value"), "Big spenders");
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("who are in the segment “Big spenders”");

    await choose(user, field, "Email");
    expect(inputOf(rule, "Operator")).toHaveValue("is");
    await user.type(inputOf(rule, "Value"), "@navy");
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("whose email is “@navy”");
    await choose(user, inputOf(rule, "Operator"), "is any of");
    expect(screen.getByTestId("segment-sentence")).toHaveTextContent("whose email is “@navy”");
  });

  it("moves rules and groups up and down, keeping the focus on the moved one", async () => {
    const { user } = await openNew();
    const root = groups()[0]!;
    await user.click(within(root).getAllByRole("button", { name: "Add rule" }).at(-1)!);
    await user.click(within(root).getAllByRole("button", { name: "Add rule" }).at(-1)!);
    await choose(user, inputOf(rules()[1]!, "Field"), "Email");
    await choose(user, inputOf(rules()[2]!, "Field"), "City");
    const fields = () => rules().map((r) => r.getAttribute("data-field"));
    expect(fields()).toEqual(["tag", "email", "city"]);

    expect(within(rules()[0]!).getByRole("button", { name: "Move up" })).toBeDisabled();
    expect(within(rules()[2]!).getByRole("button", { name: "Move down" })).toBeDisabled();

    await user.click(within(rules()[0]!).getByRole("button", { name: "Move down" }));
    expect(fields()).toEqual(["email", "tag", "city"]);
    expect(within(rules()[1]!).getByRole("button", { name: "Move down" })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(fields()).toEqual(["email", "city", "tag"]);
    // At the bottom, "Move down" is disabled, so the focus goes to "Move up".
    expect(within(rules()[2]!).getByRole("button", { name: "Move up" })).toHaveFocus();
    await user.keyboard(" ");
    expect(fields()).toEqual(["email", "tag", "city"]);
    expect(rules()[1]).toHaveAttribute("data-path", "all[1]");

    await user.click(within(root).getAllByRole("button", { name: "Add group" }).at(-1)!);
    const sub = groups()[1]!;
    // The group's own buttons come before those of the rule inside it.
    await user.click(within(sub).getAllByRole("button", { name: "Move up" })[0]!);
    expect(groups()[1]).toHaveAttribute("data-path", "all[2]");
    // The subgroup's own rule is listed between the root's rules.
    expect(fields()).toEqual(["email", "tag", "tag", "city"]);
    await user.click(within(rules()[1]!).getByRole("button", { name: "Remove rule" }));
    expect(groups()[1]).toHaveAttribute("data-path", "all[1]");
    expect(fields()).toEqual(["email", "tag", "city"]);
  });

  it("does not let groups nest deeper than the engine allows", async () => {
    const { segs } = setup();
    // Seven levels of groups, each with a rule; the builder adds the eighth.
    let filter: object = { any: [{ field: "email", op: "is_not_empty" }] };
    for (let depth = 2; depth < MAX_DEPTH; depth++) filter = { all: [{ field: "email", op: "is_not_empty" }, filter] };
    const s = segs.add({ name: "Deep", filter });
    const { user } = renderApp(`/segments/${s.id}`);
    await waitFor(() => expect(groups()).toHaveLength(MAX_DEPTH - 1));
    const seventh = groups().at(-1)!;
    expect(seventh).toHaveAttribute("data-depth", String(MAX_DEPTH - 1));
    await user.click(within(seventh).getByRole("button", { name: "Add group" }));
    const deepest = groups().at(-1)!;
    expect(deepest).toHaveAttribute("data-depth", String(MAX_DEPTH));
    expect(within(deepest).getByRole("button", { name: "Add group" })).toBeDisabled();
    expect(within(deepest).getByTestId("depth-limit")).toHaveTextContent("at most 8 deep");
    expect(within(deepest).getByRole("button", { name: "Add rule" })).toBeEnabled();
    expect(within(groups().at(-2)!).getAllByRole("button", { name: "Add group" }).at(-1)).toBeEnabled();
    expect(screen.getAllByTestId("depth-limit")).toHaveLength(1);
  });

  it("reads a saved filter back as a sentence", async () => {
    const { segs } = setup();
    const s = segs.add({ name: "Example", filter: EXAMPLE_FILTER });
    renderApp(`/segments/${s.id}`);
    expect(await screen.findByTestId("segment-sentence")).toHaveTextContent(
      "Contacts who have any of the tags vip, newsletter and (whose last interaction was within the last 30 days or " +
        "who have a project that is active or won) and whose revenue is at least 10,000 and whose plan is “pro” and " +
        "not (whose country is United States)",
    );
    expect(screen.getByRole("heading", { name: "Example" })).toBeInTheDocument();
    expect(screen.getByTestId("segment-name")).toHaveValue("Example");
    expect(rules()).toHaveLength(6);
    expect(screen.getAllByLabelText("Group match", { selector: "input" }).map((s) => (s as HTMLInputElement).value)).toEqual(["All of", "Any of", "None of"]);
    expect(inputOf(rules()[1]!, "Amount")).toHaveValue("30");
    expect(inputOf(rules()[1]!, "Unit")).toHaveValue("days");
  });

  it("marks the rule segments_check finds fault with, under that rule", async () => {
    const { fake, user } = await openNew();
    fake.on("segments_check", (args) => {
      const f = args.filter as { all: unknown[] };
      return f.all.length >= 2 ? [{ path: "all[1]", message: "“nobody” is not a tag anyone has" }] : [];
    });
    await user.click(screen.getByRole("button", { name: "Add rule" }));
    const [first, second] = rules();
    await user.type(inputOf(first!, "Value"), "vip{Enter}");
    await user.type(inputOf(second!, "Value"), "nobody{Enter}");
    await waitFor(() => expect(within(rules()[1]!).getByTestId("filter-issue")).toHaveTextContent("“nobody” is not a tag anyone has"));
    expect(within(rules()[0]!).queryByTestId("filter-issue")).not.toBeInTheDocument();
    expect(rules()[1]).toHaveAttribute("data-invalid", "true");
    expect(rules()[1]).toHaveAccessibleDescription("“nobody” is not a tag anyone has");
  });

  it("places an issue on the right rule even when an incomplete rule before it is left out", async () => {
    const { fake, user } = await openNew();
    fake.on("segments_check", (args) => {
      const f = args.filter as { all: { value?: unknown }[] };
      return f.all.length === 1 ? [{ path: "all[0]", message: "Bad tag" }] : [];
    });
    await user.click(screen.getByRole("button", { name: "Add rule" }));
    await user.type(inputOf(rules()[1]!, "Value"), "zzz{Enter}");
    await waitFor(() => expect(within(rules()[1]!).getByTestId("filter-issue")).toHaveTextContent("Bad tag"));
    expect(within(rules()[0]!).queryByTestId("filter-issue")).not.toBeInTheDocument();
  });

  it("shows the latest count and drops answers to older requests", async () => {
    const { fake, segs } = setup();
    const held: { query: SegmentPreviewQuery; release: (over?: Partial<SegmentPreview>) => void }[] = [];
    fake.on("segments_preview", (args) => {
      const query = args.query as SegmentPreviewQuery;
      return new Promise((resolve) =>
        held.push({ query, release: (over = {}) => resolve({ count: segs.matching(query.filter).length, items: [], nextCursor: null, elapsedMs: 12, ticket: query.ticket, ...over }) }),
      );
    });
    const { user } = renderApp("/segments/new");
    await waitFor(() => expect(held).toHaveLength(1));
    expect(screen.getByTestId("segment-preview-loading")).toBeInTheDocument();
    await user.type(inputOf(rules()[0]!, "Value"), "vip{Enter}");
    await waitFor(() => expect(held).toHaveLength(2));
    held[1]!.release({ count: 1234 });
    await waitFor(() => expect(previewCount()).toHaveTextContent(/^1,234$/));
    expect(screen.getByTestId("segment-preview-elapsed")).toHaveTextContent("counted in 12 ms");
    expect(screen.queryByTestId("segment-preview-loading")).not.toBeInTheDocument();
    held[0]!.release({ count: 3 });
    await new Promise((r) => setTimeout(r, 30));
    expect(previewCount()).toHaveTextContent(/^1,234$/);
  });

  it("loads more matching contacts, and sorts them", async () => {
    const { fake } = setup();
    for (let i = 0; i < 60; i++) fake.add({ firstName: `Z${i}`, email: `z${i}@example.com` });
    const { user } = renderApp("/segments/new");
    await waitFor(() => expect(previewCount()).toHaveTextContent("63"));
    expect(screen.getAllByTestId("segment-preview-row")).toHaveLength(50);
    await user.click(screen.getByTestId("segment-preview-more"));
    await waitFor(() => expect(screen.getAllByTestId("segment-preview-row")).toHaveLength(63));
    expect(screen.queryByTestId("segment-preview-more")).not.toBeInTheDocument();
    await choose(user, screen.getByLabelText("Sort preview by", { selector: "input" }), "Revenue");
    await waitFor(() => expect(screen.getAllByTestId("segment-preview-row")[0]).toHaveTextContent("Ada Lovelace"));
    await user.click(screen.getByRole("button", { name: "Sort ascending" }));
    const last = fake.callsOf("segments_preview").at(-1)!.args as { query: SegmentPreviewQuery };
    expect(last.query).toMatchObject({ sort: "revenue", direction: "asc", after: null });
  });

  it("shows a refused preview, and marks the rule it names", async () => {
    const { fake, user } = await openNew();
    fake.on("segments_preview", () => {
      throw commandError("validation", "tag “x” is too long", "filter.all[0]");
    });
    await user.type(inputOf(rules()[0]!, "Value"), "x{Enter}");
    expect(await screen.findByTestId("segment-preview-error")).toHaveTextContent("tag “x” is too long");
    await waitFor(() => expect(within(rules()[0]!).getByTestId("filter-issue")).toHaveTextContent("tag “x” is too long"));
  });

  it("asks for a name and the missing values before saving, next to each", async () => {
    const { fake, user } = await openNew();
    await user.click(screen.getByRole("button", { name: "Save segment" }));
    expect(screen.getByTestId("segment-name-error")).toHaveTextContent("Give the segment a name");
    expect(within(rules()[0]!).getByTestId("filter-issue")).toHaveTextContent("Enter a value, or remove this rule");
    expect(fake.callsOf("segments_create")).toHaveLength(0);
    await user.type(screen.getByTestId("segment-name"), "V");
    expect(screen.queryByTestId("segment-name-error")).not.toBeInTheDocument();
    await user.clear(screen.getByTestId("segment-name"));
    await user.tab();
    expect(screen.getByTestId("segment-name-error")).toHaveTextContent("Give the segment a name");
  });

  it("saves a new segment and returns to the list, where it is counted", async () => {
    const { fake, user } = await openNew();
    await user.type(screen.getByTestId("segment-name"), "VIPs");
    await user.type(screen.getByTestId("segment-description"), "Our best people");
    await user.type(inputOf(rules()[0]!, "Value"), "vip{Enter}");
    await user.click(screen.getByRole("button", { name: "Save segment" }));
    const row = await screen.findByTestId("segment-row");
    expect(row).toHaveTextContent("VIPs");
    expect(row).toHaveTextContent("Our best people");
    expect(within(row).getByTestId("segment-count")).toHaveTextContent("2");
    expect(fake.callsOf("segments_create")[0]!.args).toEqual({
      input: { name: "VIPs", description: "Our best people", filter: { all: [{ field: "tag", op: "has_any", value: ["vip"] }] } },
    });
    expect(await screen.findByText("Segment created")).toBeInTheDocument();
  });

  it("saves changes to a saved segment, and leaves the edited segment out of the segment picker", async () => {
    const { fake, segs } = setup();
    const other = segs.add({ name: "Other" });
    const s = segs.add({ name: "Mine", filter: { all: [{ field: "email", op: "contains", value: "example" }] } });
    const { user } = renderApp(`/segments/${s.id}`);
    await waitFor(() => expect(previewCount()).toHaveTextContent("2"));
    await choose(user, inputOf(rules()[0]!, "Field"), "Segment");
    expect(await optionsOf(user, inputOf(rules()[0]!, "Value"))).toEqual(["Other"]);
    await choose(user, inputOf(rules()[0]!, "Value"), "Other");
    // Enter in the name saves, as the button does.
    await user.type(screen.getByTestId("segment-name"), "{Enter}");
    await screen.findByTestId("segments-table");
    expect(fake.callsOf("segments_update")[0]!.args).toEqual({
      id: s.id,
      input: { name: "Mine", description: "", filter: { all: [{ field: "segment", op: "in", value: other.id }] } },
    });
  });

  it("shows the backend's reason a save was refused on the rule or the name", async () => {
    const { fake, segs, user } = await openNew();
    segs.add({ name: "Taken" });
    await user.type(screen.getByTestId("segment-name"), "Taken");
    await user.type(inputOf(rules()[0]!, "Value"), "vip{Enter}");
    await user.click(screen.getByRole("button", { name: "Save segment" }));
    expect(await screen.findByTestId("segment-name-error")).toHaveTextContent("There is already a segment named “Taken”");
    await user.type(screen.getByTestId("segment-name"), " two");
    fake.on("segments_create", () => {
      throw commandError("validation", "“vip” is not a tag", "filter.all[0]");
    });
    await user.click(screen.getByRole("button", { name: "Save segment" }));
    await waitFor(() => expect(within(rules()[0]!).getByTestId("filter-issue")).toHaveTextContent("“vip” is not a tag"));
    fake.on("segments_create", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    await user.click(screen.getByRole("button", { name: "Save segment" }));
    expect(await screen.findByTestId("segment-form-error")).toHaveTextContent("Something went wrong");
  });

  it("asks before discarding changes on cancel", async () => {
    const { user } = await openNew();
    await user.click(screen.getByTestId("segment-cancel"));
    expect(await screen.findByTestId("segments-empty")).toBeInTheDocument();
    await user.click(screen.getByTestId("segments-empty-new"));
    await user.type(await screen.findByTestId("segment-name"), "Half done");
    await user.click(screen.getByTestId("segment-cancel"));
    await user.click(await screen.findByRole("button", { name: "Keep editing" }));
    expect(screen.getByTestId("segment-name")).toHaveValue("Half done");
    await user.click(screen.getByTestId("segment-cancel"));
    await user.click(await screen.findByTestId("segment-discard"));
    expect(await screen.findByTestId("segments-empty")).toBeInTheDocument();
  });

  it("says when a segment cannot be opened, and retries", async () => {
    const { fake, segs } = setup();
    const s = segs.add({ name: "Flaky" });
    fake.on("segments_get", () => {
      throw commandError("not_found", "This segment no longer exists");
    });
    const { user } = renderApp(`/segments/${s.id}`);
    expect(await screen.findByTestId("segment-error")).toHaveTextContent("This segment no longer exists");
    segs.install();
    await user.click(screen.getByTestId("segment-error-retry"));
    expect(await screen.findByRole("heading", { name: "Flaky" })).toBeInTheDocument();
  });

  it("shows which segments use this one", async () => {
    const { segs } = setup();
    const base = segs.add({ name: "Base" });
    segs.add({ name: "Derived", filter: { all: [{ field: "segment", op: "in", value: base.id }] } });
    renderApp(`/segments/${base.id}`);
    expect(await screen.findByTestId("segment-used-by")).toHaveTextContent("Used by “Derived”");
  });
});
