import { screen, waitFor, within } from "@testing-library/react";
import type { SegmentCount } from "../../bindings/SegmentCount";
import { FakeBackend, commandError } from "../../../test/fakeBackend";
import { FakeSegments } from "../../../test/fakeSegments";
import { renderApp } from "../../../test/render";

function setup() {
  const fake = new FakeBackend().install();
  fake.add({ firstName: "Ada", email: "ada@example.com", tags: ["vip"] });
  fake.add({ firstName: "Grace", email: "grace@example.com", tags: ["vip"] });
  fake.add({ firstName: "Alan", email: "alan@example.com" });
  const segs = new FakeSegments(fake).install();
  return { fake, segs };
}

const rowOf = (name: string) => screen.getAllByTestId("segment-row").find((r) => r.textContent?.includes(name))!;

describe("segments list", () => {
  it("explains what a segment is when there are none, and offers to make one", async () => {
    setup();
    const { user } = renderApp("/segments");
    const empty = await screen.findByTestId("segments-empty");
    expect(empty).toHaveTextContent("No segments yet");
    expect(empty).toHaveTextContent("A segment is a saved filter");
    expect(screen.queryByTestId("segments-new")).not.toBeInTheDocument();
    await user.click(within(empty).getByRole("link", { name: "New segment" }));
    expect(await screen.findByRole("heading", { name: "New segment" })).toBeInTheDocument();
  });

  it("is reached from the sidebar", async () => {
    setup();
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("nav-segments"));
    expect(await screen.findByRole("heading", { name: "Segments" })).toBeInTheDocument();
  });

  it("lists each segment with its description, count and when it was edited", async () => {
    const { segs } = setup();
    segs.add({ name: "VIPs", description: "Tagged vip", filter: { all: [{ field: "tag", op: "has_any", value: ["vip"] }] }, updatedAt: new Date(Date.now() - 3 * 3600_000).toISOString() });
    segs.add({ name: "Everyone", count: 1234 });
    renderApp("/segments");
    await waitFor(() => expect(screen.getAllByTestId("segment-row")).toHaveLength(2));
    const vips = rowOf("VIPs");
    expect(vips).toHaveTextContent("Tagged vip");
    expect(within(vips).getByTestId("segment-count")).toHaveTextContent(/^2$/);
    expect(vips).toHaveTextContent("3 hours ago");
    expect(within(rowOf("Everyone")).getByTestId("segment-count")).toHaveTextContent("1,234");
    expect(rowOf("Everyone")).toHaveTextContent("—");
    expect(within(vips).getByRole("link", { name: "VIPs" })).toHaveAttribute("href", expect.stringMatching(/\/segments\/s-\d+$/));
  });

  it("shows an out-of-date count greyed with a spinner, and refreshes it", async () => {
    const { fake, segs } = setup();
    const s = segs.add({ name: "VIPs", filter: { all: [{ field: "tag", op: "has_any", value: ["vip"] }] }, count: 17, countFresh: false });
    let release: (c: SegmentCount) => void = () => {};
    fake.on("segments_count", () => new Promise((r) => (release = r)));
    renderApp("/segments");
    const count = await screen.findByTestId("segment-count");
    expect(count).toHaveTextContent("17");
    expect(count).toHaveAttribute("data-stale");
    expect(within(rowOf("VIPs")).getByLabelText("Updating the count")).toBeInTheDocument();
    expect(fake.callsOf("segments_count").map((c) => c.args)).toEqual([{ id: s.id }]);
    release({ count: 2, elapsedMs: 3 });
    await waitFor(() => expect(screen.getByTestId("segment-count")).toHaveTextContent(/^2$/));
    expect(screen.getByTestId("segment-count")).not.toHaveAttribute("data-stale");
    expect(screen.queryByLabelText("Updating the count")).not.toBeInTheDocument();
  });

  it("keeps the old count with a warning when it cannot be refreshed", async () => {
    const { fake, segs } = setup();
    segs.add({ name: "VIPs", count: 17, countFresh: false });
    fake.on("segments_count", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    renderApp("/segments");
    await waitFor(() => expect(screen.getByLabelText("Count not updated")).toBeInTheDocument());
    expect(screen.getByTestId("segment-count")).toHaveTextContent("17");
    expect(screen.queryByLabelText("Updating the count")).not.toBeInTheDocument();
  });

  it("opens a segment in the builder from its row", async () => {
    const { segs } = setup();
    segs.add({ name: "VIPs", filter: { all: [{ field: "tag", op: "has_any", value: ["vip"] }] } });
    const { user } = renderApp("/segments");
    await user.click(await screen.findByRole("button", { name: "Edit VIPs" }));
    expect(await screen.findByRole("heading", { name: "VIPs" })).toBeInTheDocument();
    expect(await screen.findByTestId("segment-sentence")).toHaveTextContent("Contacts who have the tag vip");
  });

  it("duplicates a segment", async () => {
    const { fake, segs } = setup();
    const s = segs.add({ name: "VIPs" });
    segs.add({ name: "Zed" });
    const { user } = renderApp("/segments");
    await user.click(await screen.findByRole("button", { name: "Duplicate VIPs" }));
    await waitFor(() => expect(screen.getAllByTestId("segment-row")).toHaveLength(3));
    expect(screen.getAllByTestId("segment-row").map((r) => within(r).getByTestId("segment-name-link").textContent)).toEqual(["VIPs", "VIPs (copy)", "Zed"]);
    expect(fake.callsOf("segments_duplicate")[0]!.args).toEqual({ id: s.id });
    expect(await screen.findByText("Segment duplicated")).toBeInTheDocument();
  });

  it("says when a duplicate fails", async () => {
    const { fake, segs } = setup();
    segs.add({ name: "VIPs" });
    fake.on("segments_duplicate", () => {
      throw commandError("not_found", "This segment no longer exists");
    });
    const { user } = renderApp("/segments");
    await user.click(await screen.findByRole("button", { name: "Duplicate VIPs" }));
    expect(await screen.findByText("This segment no longer exists")).toBeInTheDocument();
    expect(screen.getAllByTestId("segment-row")).toHaveLength(1);
  });

  it("deletes a segment only after confirmation", async () => {
    const { fake, segs } = setup();
    segs.add({ name: "Old" });
    segs.add({ name: "Keep" });
    const { user } = renderApp("/segments");
    await user.click(await screen.findByRole("button", { name: "Delete Old" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete “Old”?" });
    expect(dialog).toHaveTextContent("Contacts are not affected");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(fake.callsOf("segments_delete")).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Delete Old" }));
    await user.click(await screen.findByTestId("segment-delete-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("segment-row")).toHaveLength(1));
    expect(screen.getByTestId("segment-row")).toHaveTextContent("Keep");
    expect(segs.segments.map((s) => s.name)).toEqual(["Keep"]);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("shows why a segment another one uses cannot be deleted, and keeps it", async () => {
    const { segs } = setup();
    const base = segs.add({ name: "Base" });
    segs.add({ name: "Derived", filter: { all: [{ field: "segment", op: "in", value: base.id }] } });
    const { user } = renderApp("/segments");
    await user.click(await screen.findByRole("button", { name: "Delete Base" }));
    await user.click(await screen.findByTestId("segment-delete-confirm"));
    expect(await screen.findByTestId("segment-delete-error")).toHaveTextContent("This segment is used by “Derived”");
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    expect(screen.getAllByTestId("segment-row")).toHaveLength(2);
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    // Asking again starts without the old error.
    await user.click(screen.getByRole("button", { name: "Delete Derived" }));
    expect(await screen.findByRole("dialog", { name: "Delete “Derived”?" })).toBeInTheDocument();
    expect(screen.queryByTestId("segment-delete-error")).not.toBeInTheDocument();
  });

  it("shows skeleton rows while loading, and an error with a retry", async () => {
    const { fake, segs } = setup();
    segs.add({ name: "VIPs" });
    let fail: () => void = () => {};
    fake.on("segments_list", () => new Promise((_, reject) => (fail = () => reject(commandError("internal", "The workspace is busy")))));
    const { user } = renderApp("/segments");
    expect((await screen.findAllByTestId("segment-row-skeleton")).length).toBeGreaterThan(0);
    fail();
    expect(await screen.findByTestId("segments-error")).toHaveTextContent("The workspace is busy");
    segs.install();
    await user.click(screen.getByTestId("segments-error-retry"));
    expect(await screen.findByTestId("segment-row")).toHaveTextContent("VIPs");
  });
});
