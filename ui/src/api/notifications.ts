import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { NotificationList } from "../bindings/NotificationList";
import type { NotificationSettingsView } from "../bindings/NotificationSettingsView";

export type { NotificationList, NotificationSettingsView };
export type { NotificationView } from "../bindings/NotificationView";
export type { NotificationKind } from "../bindings/NotificationKind";
export type { NotificationPreference } from "../bindings/NotificationPreference";

/** The event the app emits when a notification was stored. */
export const NOTIFICATIONS_CHANGED_EVENT = "notifications-changed";

/** The newest notifications (50 unless `limit` says otherwise) and the unread count. */
export function notificationsList(limit?: number): Promise<NotificationList> {
  return invoke<NotificationList>("notifications_list", { limit: limit ?? null });
}

/** Marks one notification read (`not_found` when it no longer exists). */
export function notificationsMarkRead(id: number): Promise<void> {
  return invoke<void>("notifications_mark_read", { id });
}

/** Marks every notification read. */
export function notificationsMarkAllRead(): Promise<void> {
  return invoke<void>("notifications_mark_all_read");
}

/** Per kind of event: OS notification, in-app, or none; and the warning lines. */
export function notificationSettingsGet(): Promise<NotificationSettingsView> {
  return invoke<NotificationSettingsView>("notification_settings_get");
}

/** Saves the whole section (`validation` on the field at fault); answers what is stored. */
export function notificationSettingsSave(input: NotificationSettingsView): Promise<NotificationSettingsView> {
  return invoke<NotificationSettingsView>("notification_settings_save", { input });
}

/** The event the app emits when a native notification was clicked; its payload is the notification's id. */
export const NOTIFICATION_OPEN_EVENT = "notification-open";

/** Calls `handler` with the id of a native notification the person clicked. */
export function onNotificationOpen(handler: (id: number) => void): Promise<UnlistenFn> {
  return listen<number>(NOTIFICATION_OPEN_EVENT, (event) => handler(event.payload));
}

/** Calls `handler` whenever the app stored a new notification. */
export function onNotificationsChanged(handler: () => void): Promise<UnlistenFn> {
  return listen(NOTIFICATIONS_CHANGED_EVENT, () => handler());
}
