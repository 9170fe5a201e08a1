import { screen, waitFor, within } from "@testing-library/react";
import { FakeBackend } from "../../../test/fakeBackend";
import { FakeNotifications } from "../../../test/fakeNotifications";
import { renderApp, renderWithProviders } from "../../../test/render";
import { NotificationSettingsSection } from "./NotificationSettingsSection";

function setup() {
  const fake = new FakeBackend().install();
  const notes = new FakeNotifications(fake).install();
  return { fake, notes };
}

const radio = (testId: string, label: string) =>
  screen.getByTestId(testId).querySelector(`input[type=radio][value="${label}"]`) as HTMLInputElement;

describe("Settings → Notifications", () => {
  it("is a section of the settings page showing each kind's choice", async () => {
    setup();
    renderApp("/settings");
    await screen.findByTestId("notifications-section");
    await waitFor(() => expect(radio("notification-pref-campaignCompleted", "os")).toBeChecked());
    expect(radio("notification-pref-relayUnreachable", "in_app")).toBeChecked();
    expect(screen.getByTestId("notification-complaint-rate")).toHaveValue("0.3");
  });

  it("saves a choice per kind and the lines", async () => {
    const { fake, notes } = setup();
    const { user } = renderWithProviders(<NotificationSettingsSection />);
    await screen.findByTestId("notification-pref-importFinished");
    await user.click(within(screen.getByTestId("notification-pref-importFinished")).getByLabelText("OS notification"));
    await user.click(within(screen.getByTestId("notification-pref-campaignCompleted")).getByLabelText("None"));
    const relay = screen.getByTestId("notification-relay-minutes");
    await user.clear(relay);
    await user.type(relay, "45");
    await user.click(screen.getByTestId("notification-settings-save"));
    await screen.findByText("Notification settings saved");
    expect(fake.callsOf("notification_settings_save")).toHaveLength(1);
    expect(notes.settings.prefs.importFinished).toBe("os");
    expect(notes.settings.prefs.campaignCompleted).toBe("none");
    expect(notes.settings.relayDownMinutes).toBe(45);
  });

  it("shows a refused line under its field", async () => {
    const { notes } = setup();
    const { user } = renderWithProviders(<NotificationSettingsSection />);
    const complaint = await screen.findByTestId("notification-complaint-rate");
    await user.clear(complaint);
    await user.type(complaint, "0");
    await user.click(screen.getByTestId("notification-settings-save"));
    expect(await screen.findByText("The rate must be above 0 % and below 100 %")).toBeInTheDocument();
    expect(notes.settings.complaintRatePercent).toBe(0.3);
  });
});
