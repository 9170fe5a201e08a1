// The notifications_* commands of docs/ipc.md over a FakeBackend, for
// component tests and the dev preview page: a list the test fills, read
// marks, the settings, and the `notifications-changed` event.
import { emit } from "@tauri-apps/api/event";
import type { NotificationSettingsView } from "../src/bindings/NotificationSettingsView";
import type { NotificationView } from "../src/bindings/NotificationView";
import { commandError, type FakeBackend } from "./fakeBackend";

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettingsView = {
  prefs: {
    campaignCompleted: "os",
    campaignFailed: "os",
    inDoubt: "os",
    complaintRate: "os",
    relayUnreachable: "in_app",
    importFinished: "in_app",
  },
  complaintRatePercent: 0.3,
  bounceRatePercent: 2,
  relayDownMinutes: 30,
};

export class FakeNotifications {
  items: NotificationView[] = [];
  settings: NotificationSettingsView = structuredClone(DEFAULT_NOTIFICATION_SETTINGS);
  private nextId = 1;

  constructor(private fake: FakeBackend) {}

  install(): this {
    const f = this.fake;
    f.on("notifications_list", (a) => this.list((a.limit as number | null) ?? 50));
    f.on("notifications_mark_read", (a) => this.markRead(a.id as number));
    f.on("notifications_mark_all_read", () => {
      for (const n of this.items) n.readAt ??= new Date().toISOString();
      return null;
    });
    f.on("notification_settings_get", () => structuredClone(this.settings));
    f.on("notification_settings_save", (a) => this.save(a.input as NotificationSettingsView));
    return this;
  }

  /** Stores a notification, newest first, as the app would. */
  add(partial: Partial<NotificationView> & { title: string }): NotificationView {
    const item: NotificationView = {
      id: this.nextId++,
      kind: "campaign_completed",
      campaignId: null,
      body: "",
      os: true,
      createdAt: new Date().toISOString(),
      readAt: null,
      ...partial,
    };
    this.items.unshift(item);
    return item;
  }

  /** Stores one and emits `notifications-changed`, like the app's watcher. */
  async arrive(partial: Partial<NotificationView> & { title: string }): Promise<NotificationView> {
    const item = this.add(partial);
    await emit("notifications-changed");
    return item;
  }

  private list(limit: number) {
    return { items: structuredClone(this.items.slice(0, limit)), unread: this.items.filter((n) => n.readAt === null).length };
  }

  private markRead(id: number) {
    const item = this.items.find((n) => n.id === id);
    if (!item) throw commandError("not_found", `notification ${id} not found`);
    item.readAt ??= new Date().toISOString();
    return null;
  }

  private save(input: NotificationSettingsView) {
    for (const key of ["complaintRatePercent", "bounceRatePercent"] as const) {
      if (!(input[key] > 0 && input[key] < 100)) {
        throw commandError("validation", "The rate must be above 0 % and below 100 %", key);
      }
    }
    if (!(input.relayDownMinutes >= 1 && input.relayDownMinutes <= 10080)) {
      throw commandError("validation", "The relay's delay must be between 1 minute and 7 days (10080 minutes)", "relayDownMinutes");
    }
    this.settings = structuredClone(input);
    return structuredClone(this.settings);
  }
}
