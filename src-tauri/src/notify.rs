//! Delivering notifications: herald-send's rules decide what is worth
//! telling and the store keeps it; this module shows it. A notification of
//! preference "os" goes to the OS through [`OsNotifier`]; every new one
//! makes the app emit [`CHANGED_EVENT`], which the bell listens to.
//!
//! A watcher task scans the workspace at start (what happened while the app
//! was closed, the CLI's sends included) and every [`TICK`]: a quick look
//! at campaign ends, messages in doubt and the relay, plus complaint and
//! bounce rates whenever a sync has applied events since the last look.
//!
//! The OS side is a trait so that tests record what would be shown: no
//! test can see a native notification.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use herald_send::notify::{self, Scope};
use herald_store::notifications::{self, Delivery as Preference, NewNotification, Notification};
use herald_store::{now_millis, relay_sync, Store};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::{NotificationExt, PermissionState};

/// The event the webview hears when a notification was stored.
pub const CHANGED_EVENT: &str = "notifications-changed";
/// The event the webview hears when the person clicked a native
/// notification; its payload is the notification's id (the bell opens it).
pub const OPEN_EVENT: &str = "notification-open";
/// How often the watcher looks (a campaign's end shows within this).
pub const TICK: Duration = Duration::from_secs(15);

/// Shows a native OS notification.
pub trait OsNotifier: Send + Sync {
    /// `id` is the stored notification's, reported back on a click.
    fn show(&self, id: i64, title: &str, body: &str);
}

/// The OS notifier: tauri-plugin-notification.
pub struct NativeNotifier<R: Runtime> {
    app: AppHandle<R>,
    /// Whether the OS permission was asked already (once per run, just
    /// before the first notification: never at start-up).
    asked: AtomicBool,
}

impl<R: Runtime> NativeNotifier<R> {
    pub fn new(app: AppHandle<R>) -> Self {
        NativeNotifier {
            app,
            asked: AtomicBool::new(false),
        }
    }

    fn permitted(&self) -> bool {
        let notification = self.app.notification();
        let state = notification
            .permission_state()
            .unwrap_or(PermissionState::Denied);
        match state {
            PermissionState::Granted => true,
            PermissionState::Denied => false,
            _ if self.asked.swap(true, Ordering::SeqCst) => false,
            _ => matches!(
                notification.request_permission(),
                Ok(PermissionState::Granted)
            ),
        }
    }
}

impl<R: Runtime> OsNotifier for NativeNotifier<R> {
    fn show(&self, id: i64, title: &str, body: &str) {
        if !self.permitted() {
            tracing::info!("the OS does not allow notifications; the bell still shows it");
            return;
        }
        let mut builder = self.app.notification().builder().title(title).body(body);
        if let Ok(id) = i32::try_from(id) {
            builder = builder.id(id);
        }
        // With no notification daemon the plugin returns Ok and shows
        // nothing: the bell is the record either way.
        if let Err(e) = builder.show() {
            tracing::warn!("could not show an OS notification: {e}");
        }
    }
}

/// Hands new notifications to the OS and the webview.
pub struct Delivery {
    os: Arc<dyn OsNotifier>,
    changed: Box<dyn Fn() + Send + Sync>,
    native: bool,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("native", &self.native)
            .finish_non_exhaustive()
    }
}

impl Delivery {
    /// Delivery through `os`, telling `app`'s webviews about changes.
    pub fn new<R: Runtime>(app: &AppHandle<R>, os: Arc<dyn OsNotifier>) -> Delivery {
        let app = app.clone();
        Delivery {
            os,
            changed: Box::new(move || {
                if let Err(e) = app.emit(CHANGED_EVENT, ()) {
                    tracing::warn!("could not tell the window about notifications: {e}");
                }
            }),
            native: false,
        }
    }

    /// Whether OS notifications go to the real OS (what the app wires).
    #[cfg(test)]
    pub fn is_native(&self) -> bool {
        self.native
    }

    /// Shows what is new: "os" ones as native notifications; then one
    /// change event for the bell.
    pub fn deliver(&self, new: &[Notification]) {
        for n in new {
            if n.delivery == Preference::Os {
                self.os.show(n.id, &n.title, &n.body);
            }
        }
        if !new.is_empty() {
            (self.changed)();
        }
    }

    /// Stores `event` (per its kind's preference) and delivers it if new.
    pub async fn emit(&self, store: &Store, event: &NewNotification) {
        match notifications::emit(store, event, now_millis()).await {
            Ok(new) => self.deliver(new.as_slice()),
            Err(e) => tracing::warn!("could not store a notification: {e}"),
        }
    }

    /// One scan of the workspace, delivered.
    pub async fn scan(&self, store: &Store, scope: Scope) {
        match notify::scan(store, now_millis(), scope).await {
            Ok(new) => self.deliver(&new),
            Err(e) => tracing::warn!("looking for notifications failed: {e}"),
        }
    }
}

/// Wires notifications into the running app: the OS plugin, the delivery
/// (managed as `Arc<Delivery>`) and the watcher.
pub fn install<R: Runtime>(app: &AppHandle<R>, store: Store) -> tauri::Result<()> {
    app.plugin(tauri_plugin_notification::init())?;
    let native = Arc::new(NativeNotifier::new(app.clone()));
    let delivery = Arc::new(Delivery {
        native: true,
        ..Delivery::new(app, native)
    });
    app.manage(Arc::clone(&delivery));
    open_on_click(app);
    watch(store, delivery);
    Ok(())
}

/// A click on a native notification brings the window forward and asks
/// the bell to open that notification (its campaign).
fn open_on_click<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    let registered = app.notification().on_action(move |action| {
        let Some(id) = action.notification().map(|n| n.id()) else {
            return;
        };
        if action.action_id() != "tap" {
            return;
        }
        if let Some(window) = handle.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
        if let Err(e) = handle.emit(OPEN_EVENT, id) {
            tracing::warn!("could not open a clicked notification: {e}");
        }
    });
    if let Err(e) = registered {
        tracing::warn!("clicks on notifications will not open them: {e}");
    }
}

/// Scans at start, then every [`TICK`]; rates only after a sync applied
/// events (the relay cursor moved: a sync that brought nothing leaves it),
/// since reading rates reads the recent campaigns' ledger rows.
fn watch(store: Store, delivery: Arc<Delivery>) {
    tauri::async_runtime::spawn(async move {
        delivery.scan(&store, Scope::Everything).await;
        let mut last_cursor = relay_sync::cursor(&store).await.ok().flatten();
        loop {
            tokio::time::sleep(TICK).await;
            let cursor = relay_sync::cursor(&store).await.ok().flatten();
            let scope = if cursor != last_cursor {
                Scope::Everything
            } else {
                Scope::Quick
            };
            last_cursor = cursor;
            delivery.scan(&store, scope).await;
        }
    });
}

/// Tells about a finished import (the app's import command calls it).
pub async fn import_finished<R: Runtime>(
    app: &AppHandle<R>,
    store: &Store,
    event: NewNotification,
) {
    match app.try_state::<Arc<Delivery>>() {
        Some(delivery) => delivery.emit(store, &event).await,
        // Not wired (some command tests): stored for the bell all the same.
        None => {
            if let Err(e) = notifications::emit(store, &event, now_millis()).await {
                tracing::warn!("could not store a notification: {e}");
            }
        }
    }
}
