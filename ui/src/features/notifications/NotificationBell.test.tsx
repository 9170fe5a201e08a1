import { emit } from "@tauri-apps/api/event";
import { screen, waitFor, within } from "@testing-library/react";
import { useLocation } from "react-router";
import { FakeBackend } from "../../../test/fakeBackend";
import { FakeNotifications } from "../../../test/fakeNotifications";
import { renderApp, renderWithProviders } from "../../../test/render";
import { NotificationBell } from "./NotificationBell";

function Where() {
  return <div data-testid="location">{useLocation().pathname}</div>;
}

function setup() {
  const fake = new FakeBackend().install();
  const notes = new FakeNotifications(fake).install();
  return { fake, notes };
}

const badge = () => screen.getByTestId("notification-bell");

describe("the notification bell", () => {
  it("sits in the app's header and counts what is unread", async () => {
    const { notes } = setup();
    notes.add({ title: "Campaign sent: Spring news", readAt: "2026-01-01T00:00:00.000Z" });
    notes.add({ title: "Campaign failed: Autumn news", kind: "campaign_failed" });
    notes.add({ title: "Import finished: people.csv", kind: "import_finished", os: false });
    renderApp("/");
    await waitFor(() => expect(badge()).toHaveAccessibleName("Notifications, 2 unread"));
    expect(within(screen.getByTestId("notification-badge").parentElement!).getByText("2")).toBeInTheDocument();
  });

  it("shows a new notification as soon as the app says one was stored", async () => {
    const { notes } = setup();
    renderWithProviders(<NotificationBell />);
    await waitFor(() => expect(badge()).toHaveAccessibleName("Notifications"));
    await notes.arrive({ title: "3 messages in doubt: News", kind: "in_doubt" });
    await waitFor(() => expect(badge()).toHaveAccessibleName("Notifications, 1 unread"));
  });

  it("lists the newest first and marks all read", async () => {
    const { notes, fake } = setup();
    notes.add({ title: "Older", body: "first" });
    notes.add({ title: "Newer", body: "second" });
    const { user } = renderWithProviders(<NotificationBell />);
    await waitFor(() => expect(badge()).toHaveAccessibleName("Notifications, 2 unread"));
    await user.click(badge());
    const list = await screen.findByTestId("notification-list");
    const titles = within(list)
      .getAllByTestId(/^notification-\d+$/)
      .map((el) => el.querySelector("p")?.textContent);
    expect(titles).toEqual(["Newer", "Older"]);
    await user.click(within(list).getByTestId("notification-mark-all"));
    await waitFor(() => expect(badge()).toHaveAccessibleName("Notifications"));
    expect(fake.callsOf("notifications_mark_all_read")).toHaveLength(1);
    expect(within(list).getByTestId("notification-2")).toHaveAttribute("data-unread", "false");
  });

  it("opens the campaign a notification is about and marks it read", async () => {
    const { notes, fake } = setup();
    const sent = notes.add({ title: "Campaign sent: Spring news", campaignId: "0190b6d2-4c1e-7a5b-9f3e-2d8c6a1b0e47" });
    const { user } = renderWithProviders(
      <>
        <NotificationBell />
        <Where />
      </>,
    );
    await waitFor(() => expect(badge()).toHaveAccessibleName("Notifications, 1 unread"));
    await user.click(badge());
    await user.click(await screen.findByTestId(`notification-${sent.id}`));
    expect(screen.getByTestId("location")).toHaveTextContent("/campaigns/0190b6d2-4c1e-7a5b-9f3e-2d8c6a1b0e47");
    expect(fake.callsOf("notifications_mark_read").map((c) => c.args)).toEqual([{ id: sent.id }]);
    await waitFor(() => expect(badge()).toHaveAccessibleName("Notifications"));
  });

  it("opens the campaign of a native notification the person clicked", async () => {
    const { notes } = setup();
    const failed = notes.add({ title: "Campaign failed: News", kind: "campaign_failed", campaignId: "c-42" });
    notes.add({ title: "Import finished: a.csv", kind: "import_finished" });
    renderWithProviders(
      <>
        <NotificationBell />
        <Where />
      </>,
    );
    await waitFor(() => expect(badge()).toHaveAccessibleName("Notifications, 2 unread"));
    await emit("notification-open", failed.id);
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/campaigns/c-42"));
    await waitFor(() => expect(badge()).toHaveAccessibleName("Notifications, 1 unread"));
  });

  it("stays quiet when the list cannot be read", async () => {
    const fake = new FakeBackend().install();
    renderWithProviders(<NotificationBell />);
    await waitFor(() => expect(fake.callsOf("notifications_list")).toHaveLength(1));
    expect(badge()).toHaveAccessibleName("Notifications");
  });
});
