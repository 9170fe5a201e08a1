//! Generates the Tauri context: the app's command permissions (one
//! `allow-<command>` per command below) and the capabilities that grant them.

/// Every command the app registers in `invoke_handler`. A command missing
/// here has no permission, so no window could call it.
const COMMANDS: &[&str] = &[
    "workspace_info",
    "workspace_load_demo",
    "workspace_update_settings",
    "workspace_setting_options",
    "contacts_list",
    "contacts_get",
    "contacts_create",
    "contacts_update",
    "contacts_check_field",
    "contacts_edit_tags",
    "contacts_set_status",
    "tags_list",
    "interactions_add",
    "projects_add",
    "project_statuses_list",
    "import_upload",
    "import_preview",
    "import_run",
    "import_discard",
    "segments_list",
    "segments_get",
    "segments_create",
    "segments_update",
    "segments_duplicate",
    "segments_delete",
    "segments_check",
    "segments_preview",
    "segments_count",
    "segments_custom_fields",
    "relay_status",
    "relay_set_url",
    "relay_generate_keys",
    "relay_rotate_keys",
    "relay_test_connection",
    "relay_sync_now",
    "campaigns_list",
    "campaigns_get",
    "campaigns_create",
    "campaigns_update",
    "campaigns_delete",
    "campaigns_duplicate",
    "campaign_templates_list",
    "campaign_templates_get",
    "campaign_templates_save",
    "campaign_templates_delete",
    "campaign_attachments_add",
    "campaign_attachments_remove",
    "campaign_audience",
    "campaign_preview",
    "campaign_test_send",
    "campaign_send_now",
    "campaign_schedule",
    "campaign_unschedule",
    "campaign_pause",
    "campaign_resume",
    "campaign_cancel",
    "campaign_retry_failed",
    "campaign_resend_in_doubt",
    "campaign_progress",
    "campaign_recipients",
    "campaign_recipients_export",
    "email_settings_get",
    "email_settings_save",
    "email_settings_test",
    "email_presets",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("generating the Tauri context");
}
