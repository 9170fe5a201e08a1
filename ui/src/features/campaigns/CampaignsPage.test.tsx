import { screen, waitFor, within } from "@testing-library/react";
import { FakeBackend } from "../../../test/fakeBackend";
import { FakeCampaigns } from "../../../test/fakeCampaigns";
import { renderApp } from "../../../test/render";
import { resetCampaignsStore } from "../../stores/campaigns";

beforeEach(() => resetCampaignsStore());

function setup() {
  const fake = new FakeBackend().install();
  const campaigns = new FakeCampaigns(fake).install();
  return { fake, campaigns };
}

describe("campaigns list", () => {
  it("says to create the first campaign when there are none, and leads to the wizard", async () => {
    setup();
    const { user } = renderApp("/campaigns");
    const empty = await screen.findByTestId("campaigns-empty");
    expect(empty).toHaveTextContent("Create your first campaign");
    expect(screen.queryByTestId("campaigns-new")).not.toBeInTheDocument();
    await user.click(within(empty).getByRole("link", { name: "Create a campaign" }));
    expect(await screen.findByRole("heading", { name: "New campaign" })).toBeInTheDocument();
  });

  it("is reached from the sidebar", async () => {
    setup();
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("nav-campaigns"));
    expect(await screen.findByRole("heading", { name: "Campaigns" })).toBeInTheDocument();
  });

  it("lists campaigns with their status, segment and results", async () => {
    const { campaigns } = setup();
    campaigns.add({ name: "Spring sale", status: "sent", segmentName: "Customers", counts: { recipients: 200, queued: 0, sent: 200, failed: 0, inDoubt: 0, suppressed: 0, opened: 50, clicked: 10, delivered: 0, undelivered: 0 }, finishedAt: Date.now() });
    campaigns.add({ name: "Draft idea" });
    renderApp("/campaigns");
    await waitFor(() => expect(screen.getAllByTestId("campaign-row")).toHaveLength(2));
    const sale = screen.getAllByTestId("campaign-row").find((r) => r.textContent?.includes("Spring sale"))!;
    expect(within(sale).getByTestId("campaign-status")).toHaveTextContent("Sent");
    expect(sale).toHaveTextContent("Customers");
    expect(sale).toHaveTextContent("50 (25%)");
    expect(sale).toHaveTextContent("10 (5%)");
  });

  it("marks a scheduled campaign that could not start, with the reason on hover", async () => {
    const { campaigns } = setup();
    const due = Date.now() - 60 * 1000;
    campaigns.add({ name: "On time", status: "scheduled", scheduledAt: Date.now() + 60 * 60 * 1000 });
    campaigns.add({
      name: "Stuck",
      status: "scheduled",
      scheduledAt: due,
      startFailure: { kind: "relay", message: "Could not publish the web version to the relay: unreachable", failedAt: due, retryAt: due + 5 * 60 * 1000 },
    });
    const { user } = renderApp("/campaigns");
    await waitFor(() => expect(screen.getAllByTestId("campaign-row")).toHaveLength(2));
    const row = (name: string) => screen.getAllByTestId("campaign-row").find((r) => r.textContent?.includes(name))!;
    expect(within(row("On time")).getByTestId("campaign-status")).toHaveTextContent("Scheduled");
    expect(within(row("On time")).queryByTestId("campaign-start-failed")).not.toBeInTheDocument();
    const stuck = within(row("Stuck")).getByTestId("campaign-start-failed");
    expect(stuck).toHaveTextContent("Scheduled · couldn't start");
    await user.hover(stuck);
    expect(await screen.findByText("Could not publish the web version to the relay: unreachable")).toBeInTheDocument();
  });

  it("shows no opens or clicks for a text, which has no pixel and no tracked links", async () => {
    const { campaigns } = setup();
    campaigns.add({ name: "Flash sale text", channel: "sms", status: "sent", counts: { recipients: 80, queued: 0, sent: 80, failed: 0, inDoubt: 0, suppressed: 0, opened: 0, clicked: 0, delivered: 75, undelivered: 2 }, finishedAt: Date.now() });
    renderApp("/campaigns");
    const row = await screen.findByTestId("campaign-row");
    expect(row).toHaveTextContent("80");
    expect(within(row).getByTestId("campaign-opens")).toHaveTextContent(/^—$/);
    expect(within(row).getByTestId("campaign-clicks")).toHaveTextContent(/^—$/);
  });

  it("searches through campaigns_list as the person types, and says when nothing matches", async () => {
    const { fake, campaigns } = setup();
    campaigns.add({ name: "Spring sale" });
    campaigns.add({ name: "Autumn news", subject: "Leaves are falling" });
    const { user } = renderApp("/campaigns");
    await waitFor(() => expect(screen.getAllByTestId("campaign-row")).toHaveLength(2));
    await user.type(screen.getByTestId("campaigns-search"), "spring");
    await waitFor(() => expect(screen.getAllByTestId("campaign-row")).toHaveLength(1));
    expect(screen.getByTestId("campaign-row")).toHaveTextContent("Spring sale");
    const searches = fake.callsOf("campaigns_list").map((c) => (c.args as { search?: string }).search);
    expect(searches).toContain("spring");
    // Debounced: not one call per keystroke.
    expect(searches).not.toContain("spr");
    await user.clear(screen.getByTestId("campaigns-search"));
    await user.type(screen.getByTestId("campaigns-search"), "winter");
    expect(await screen.findByTestId("campaigns-no-match")).toHaveTextContent("No campaign matches “winter”");
    expect(screen.queryByTestId("campaigns-empty")).not.toBeInTheDocument();
  });

  it("opens a campaign when its row is clicked", async () => {
    const { campaigns } = setup();
    campaigns.add({ name: "Spring sale" });
    const { user } = renderApp("/campaigns");
    await user.click(await screen.findByTestId("campaign-row"));
    expect(await screen.findByTestId("campaign-not-started")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: /Spring sale/ })).toBeInTheDocument();
  });

  it("duplicates from the row menu, and deletes only after a confirmation", async () => {
    const { campaigns } = setup();
    campaigns.add({ name: "Spring sale" });
    const { user } = renderApp("/campaigns");
    await user.click(await screen.findByTestId("campaign-menu"));
    await user.click(await screen.findByTestId("campaign-duplicate"));
    await waitFor(() => expect(screen.getAllByTestId("campaign-row")).toHaveLength(2));
    expect(screen.getByText("Spring sale (copy)")).toBeInTheDocument();

    const original = screen.getAllByTestId("campaign-row").find((r) => r.textContent?.startsWith("Spring saleEmail"))!;
    await user.click(within(original).getByTestId("campaign-menu"));
    await user.click(await screen.findByTestId("campaign-delete"));
    expect(await screen.findByText("Delete “Spring sale”?")).toBeInTheDocument();
    expect(campaigns.campaigns).toHaveLength(2);
    await user.click(screen.getByTestId("campaign-delete-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("campaign-row")).toHaveLength(1));
    expect(campaigns.campaigns.map((c) => c.name)).toEqual(["Spring sale (copy)"]);
  });
});
