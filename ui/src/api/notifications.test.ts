import { FakeBackend } from "../../test/fakeBackend";
import { DEFAULT_NOTIFICATION_SETTINGS, FakeNotifications } from "../../test/fakeNotifications";
import { notificationSettingsGet, notificationSettingsSave, notificationsList, notificationsMarkAllRead, notificationsMarkRead } from "./notifications";

// Every wrapper sends the command name and camelCase argument names of docs/ipc.md.
describe("notification command wrappers", () => {
  it("name each command and its arguments as the contract does", async () => {
    const fake = new FakeBackend().install();
    const notes = new FakeNotifications(fake).install();
    const n = notes.add({ title: "Campaign sent: News" });
    await notificationsList();
    await notificationsList(5);
    await notificationsMarkRead(n.id);
    await notificationsMarkAllRead();
    await notificationSettingsGet();
    await notificationSettingsSave(DEFAULT_NOTIFICATION_SETTINGS);
    expect(fake.calls.map((c) => [c.cmd, c.args])).toEqual([
      ["notifications_list", { limit: null }],
      ["notifications_list", { limit: 5 }],
      ["notifications_mark_read", { id: n.id }],
      ["notifications_mark_all_read", {}],
      ["notification_settings_get", {}],
      ["notification_settings_save", { input: DEFAULT_NOTIFICATION_SETTINGS }],
    ]);
  });
});
