import { screen } from "@testing-library/react";
import { FakeBackend, commandError } from "../../test/fakeBackend";
import { FakeAnalytics, report } from "../../test/fakeAnalytics";
import { FakeCampaigns } from "../../test/fakeCampaigns";
import { renderApp } from "../../test/render";
import { resetCampaignsStore } from "../stores/campaigns";

describe("app shell", () => {
  it("has only the screens that work in its navigation", async () => {
    const fake = new FakeBackend().install();
    fake.add({ email: "a@example.com" });
    renderApp("/");
    await screen.findByTestId("stat-contacts");
    const links = screen.getAllByRole("link").filter((a) => a.closest("nav"));
    expect(links.map((a) => a.textContent?.replace(/\d+$/, ""))).toEqual(["Dashboard", "Contacts", "Segments", "Campaigns", "Analytics", "Import CSV", "Settings"]);
    expect(screen.getByTestId("nav-contacts")).toHaveTextContent("1");
  });

  it("opens the campaign comparison from Analytics, marked as the current screen instead of Campaigns", async () => {
    resetCampaignsStore();
    const fake = new FakeBackend().install();
    const campaigns = new FakeCampaigns(fake).install();
    const analytics = new FakeAnalytics(fake).install();
    const sent = campaigns.add({ name: "Spring sale", status: "sent", startedAt: Date.parse("2026-03-01T09:00:00Z") });
    analytics.add(report({}, { id: sent.id, name: "Spring sale" }));
    const { user } = renderApp("/campaigns");
    await screen.findByTestId("nav-analytics");
    expect(screen.getByTestId("nav-campaigns")).toHaveAttribute("data-active");
    expect(screen.getByTestId("nav-campaigns")).toHaveAttribute("aria-current", "page");
    expect(screen.getByTestId("nav-analytics")).not.toHaveAttribute("data-active");

    await user.click(screen.getByTestId("nav-analytics"));
    expect(await screen.findByTestId("compare-page")).toBeInTheDocument();
    expect(screen.getByText("Pick two to five sent campaigns to compare them side by side.")).toBeInTheDocument();
    expect(screen.getByTestId("nav-analytics")).toHaveAttribute("data-active");
    expect(screen.getByTestId("nav-analytics")).toHaveAttribute("aria-current", "page");
    expect(screen.getByTestId("nav-campaigns")).not.toHaveAttribute("data-active");
    // The router's own prefix match must not mark it either (styled alike).
    expect(screen.getByTestId("nav-campaigns")).not.toHaveAttribute("aria-current", "page");
  });

  it("explains a workspace that cannot be opened, and retries", async () => {
    const fake = new FakeBackend().install();
    fake.on("workspace_info", () => {
      throw commandError("internal", "The workspace file is locked by another program");
    });
    const { user } = renderApp("/");
    expect(await screen.findByTestId("error")).toHaveTextContent("The workspace file is locked by another program");
    fake.overrides.delete("workspace_info");
    await user.click(screen.getByTestId("error-retry"));
    expect(await screen.findByText("Welcome to Herald")).toBeInTheDocument();
  });

  it("sends unknown addresses to the start", async () => {
    new FakeBackend().install();
    renderApp("/no-such-screen");
    expect(await screen.findByText("Welcome to Herald")).toBeInTheDocument();
  });
});
