//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "herald",
    version,
    about = "Herald's engine, headless: contacts, import, export, segments, benchmarks."
)]
pub struct Cli {
    /// The workspace file. Defaults to the desktop app's workspace.
    #[arg(long, global = true, env = "HERALD_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the workspace (if missing), optionally with demo data.
    Init(InitArgs),
    /// Contacts: import, export, list, show, add, tag.
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// The contact timeline.
    #[command(subcommand)]
    Interactions(InteractionsCommand),
    /// Projects attached to contacts.
    #[command(subcommand)]
    Projects(ProjectsCommand),
    /// Workspace settings (non-secret).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Saved segments: dynamic groups of contacts defined by a filter.
    #[command(subcommand)]
    Segments(SegmentsCommand),
    /// Measure Herald's speed on generated data.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The relay: its URL, the keys in this computer's keychain, a connection test.
    #[command(subcommand)]
    Relay(RelayCommand),
    /// Pull the relay's new events and apply them (unsubscribes, bounces, STOP replies...).
    Sync(SyncArgs),
    /// Campaigns: list, show, send or continue, run what is due, pause, cancel.
    #[command(subcommand)]
    Campaigns(CampaignsCommand),
    /// Campaign analytics: a report, a comparison, CSV export, rebuild.
    #[command(subcommand)]
    Analytics(AnalyticsCommand),
}

#[derive(Debug, Subcommand)]
pub enum AnalyticsCommand {
    /// One campaign's report: recipients, sent, delivered, opens, clicks...
    Campaign(AnalyticsCampaignArgs),
    /// Two to five campaigns side by side.
    Compare(AnalyticsCompareArgs),
    /// A campaign's metrics, hourly series and recipients as CSV.
    Export(AnalyticsExportArgs),
    /// A campaign's chart as PNG or SVG (the format from the file's extension).
    Chart(AnalyticsChartArgs),
    /// Recompute every rollup from the recorded relay events and the ledger.
    Rebuild,
}

#[derive(Debug, Args)]
pub struct AnalyticsCampaignArgs {
    /// The campaign's id or exact name.
    pub campaign: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AnalyticsCompareArgs {
    /// Two to five campaigns (ids or exact names).
    #[arg(num_args = 2..=5, required = true)]
    pub campaigns: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AnalyticsPart {
    Metrics,
    Series,
    Roster,
}

#[derive(Debug, Args)]
pub struct AnalyticsExportArgs {
    /// The campaign's id or exact name.
    pub campaign: String,
    /// The CSV file to write.
    #[arg(long, value_name = "FILE.csv")]
    pub out: PathBuf,
    /// Only this part (default: all three, one after the other).
    #[arg(long, value_enum)]
    pub part: Option<AnalyticsPart>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChartKind {
    /// Human opens and clicks per hour (up to 7 days) or per day.
    Engagement,
    /// Sent → delivered → opened → clicked.
    Funnel,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChartTheme {
    Light,
    Dark,
}

#[derive(Debug, Args)]
pub struct AnalyticsChartArgs {
    /// The campaign's id or exact name.
    pub campaign: String,
    /// The file to write: `.png` or `.svg`.
    #[arg(long, value_name = "FILE.png|FILE.svg")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "engagement")]
    pub kind: ChartKind,
    /// Start of the engagement range, RFC 3339 (default: the campaign's start).
    #[arg(long, value_name = "RFC3339")]
    pub from: Option<String>,
    /// End of the engagement range, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub to: Option<String>,
    /// Pixels, 200 to 4000.
    #[arg(long, default_value_t = 1200)]
    pub width: u32,
    /// Pixels, 120 to 3000.
    #[arg(long, default_value_t = 600)]
    pub height: u32,
    #[arg(long, value_enum, default_value = "light")]
    pub theme: ChartTheme,
}

#[derive(Debug, Subcommand)]
pub enum CampaignsCommand {
    /// List campaigns, newest first.
    List(CampaignsListArgs),
    /// One campaign's status and counts, as JSON.
    Show(CampaignRef),
    /// Send a draft now (after confirming how many people will receive it),
    /// or continue a paused, failed or interrupted one, and stay until it ends.
    Send(CampaignsSendArgs),
    /// Start the scheduled campaigns whose time has come and continue those
    /// being sent (for cron on a machine that stays on).
    RunDue,
    /// Stop sending; `send` continues it later.
    Pause(CampaignRef),
    /// Stop for good.
    Cancel(CampaignRef),
    /// Queue the failed recipients again.
    RetryFailed(CampaignRef),
    /// Queue the in-doubt recipients again (they may get the message twice).
    ResendInDoubt(CampaignRef),
}

#[derive(Debug, Args)]
pub struct CampaignRef {
    /// The campaign's id or exact name.
    pub campaign: String,
}

#[derive(Debug, Args)]
pub struct CampaignsListArgs {
    /// Words to search for in names, subjects and bodies.
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CampaignsSendArgs {
    /// The campaign's id or exact name.
    pub campaign: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// No progress lines.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Generate this many realistic demo contacts.
    #[arg(long, value_name = "N")]
    pub demo: Option<u32>,
    /// Seed for the demo generator: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Import contacts from a CSV file (upsert on email, else phone).
    Import(ImportArgs),
    /// Export every contact with all of its fields.
    Export(ExportArgs),
    /// List contacts, a page at a time.
    List(ListArgs),
    /// Show one contact: fields, tags, consent ledger, timeline, projects.
    Show(ShowArgs),
    /// Add one contact.
    Add(AddArgs),
    /// Add or remove tags on a contact.
    Tag(TagArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file.
    pub file: PathBuf,
    /// Map a CSV header to a field, e.g. --map "Work Address=email".
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub mappings: Vec<String>,
    /// Drop columns that are not recognised instead of keeping them as custom fields.
    #[arg(long)]
    pub ignore_unknown: bool,
    /// Add this tag to every imported contact (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Record consent from this source for every imported subscribed contact.
    #[arg(long, value_name = "SOURCE")]
    pub consent_source: Option<String>,
    /// Region for phone numbers written without a country code (e.g. US, DE).
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
    /// Validate and report without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Search names, email, company and phone.
    #[arg(long)]
    pub search: Option<String>,
    /// Contacts per page.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Start after this contact id (the last id of the previous page).
    #[arg(long, value_name = "ID")]
    pub after: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A contact id, email address or phone number.
    pub contact: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub first_name: Option<String>,
    #[arg(long)]
    pub last_name: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 code or English name.
    #[arg(long)]
    pub country: Option<String>,
    /// Lifetime revenue in major units, e.g. 1250.00.
    #[arg(long)]
    pub revenue: Option<String>,
    /// ISO 4217 currency of the revenue (default: the workspace's).
    #[arg(long)]
    pub currency: Option<String>,
    /// A custom field, e.g. --custom plan=pro (repeatable).
    #[arg(long = "custom", value_name = "KEY=VALUE")]
    pub custom: Vec<String>,
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Record email/SMS consent from this source.
    #[arg(long, value_name = "SOURCE")]
    pub consent_source: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// A contact id, email address or phone number.
    pub contact: String,
    #[arg(long = "add", value_name = "TAG")]
    pub add: Vec<String>,
    #[arg(long = "remove", value_name = "TAG")]
    pub remove: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum InteractionsCommand {
    /// Log an interaction on a contact's timeline.
    Add(InteractionAddArgs),
}

#[derive(Debug, Args)]
pub struct InteractionAddArgs {
    /// A contact id, email address or phone number.
    pub contact: String,
    /// note, call, meeting, email, sms, campaign or other.
    #[arg(long, default_value = "note")]
    pub kind: String,
    #[arg(long)]
    pub summary: String,
    /// When it happened (YYYY-MM-DD or RFC 3339); default now.
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ProjectsCommand {
    /// Add a project to a contact.
    Add(ProjectAddArgs),
    /// List the workspace's project statuses.
    Statuses,
    /// Add a project status to the workspace's list.
    AddStatus { name: String },
}

#[derive(Debug, Args)]
pub struct ProjectAddArgs {
    /// A contact id, email address or phone number.
    pub contact: String,
    #[arg(long)]
    pub name: String,
    #[arg(long, default_value = "lead")]
    pub status: String,
    /// Value in major units, e.g. 5000.
    #[arg(long, default_value = "0")]
    pub value: String,
    #[arg(long)]
    pub currency: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show the settings.
    Show,
    /// Set the region for phone numbers written without a country code.
    DefaultRegion { region: String },
    /// Set the default currency.
    DefaultCurrency { currency: String },
    /// Set the workspace's name.
    Name { name: String },
    /// Set the time zone segment date rules count days in (an IANA name,
    /// e.g. Europe/Berlin).
    TimeZone { zone: String },
}

#[derive(Debug, Subcommand)]
pub enum SegmentsCommand {
    /// Save a new segment from a filter file (the JSON of docs/segments.md).
    Create(SegmentCreateArgs),
    /// List the segments with their last counts.
    List(SegmentListArgs),
    /// Show a segment: its filter, its exact count and the segments using it.
    Show(SegmentShowArgs),
    /// Delete a segment (refused while another segment uses it).
    Delete(SegmentDeleteArgs),
    /// Count the contacts a filter or saved segment matches, and show the first page.
    Preview(SegmentPreviewArgs),
}

#[derive(Debug, Args)]
pub struct SegmentCreateArgs {
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub description: Option<String>,
    /// The filter, as a JSON file; `-` reads standard input.
    #[arg(long, value_name = "FILE.json")]
    pub filter: PathBuf,
    /// Print the new segment as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SegmentListArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SegmentShowArgs {
    /// A segment id or name.
    #[arg(value_name = "ID|NAME")]
    pub segment: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SegmentDeleteArgs {
    /// A segment id or name.
    #[arg(value_name = "ID|NAME")]
    pub segment: String,
}

/// The orders a segment preview offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreviewSort {
    Name,
    #[value(name = "created_at", alias = "created-at")]
    CreatedAt,
    #[value(
        name = "last_interaction",
        alias = "last-interaction",
        alias = "last_interaction_at"
    )]
    LastInteraction,
    Revenue,
}

#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("source")
        .required(true)
        .args(["segment", "filter"])
))]
pub struct SegmentPreviewArgs {
    /// A saved segment's id or name.
    #[arg(value_name = "ID|NAME")]
    pub segment: Option<String>,
    /// An unsaved filter, as a JSON file; `-` reads standard input.
    #[arg(long, value_name = "FILE.json")]
    pub filter: Option<PathBuf>,
    /// Contacts in the page shown (1 to 500).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// The order of the page.
    #[arg(long, value_enum, default_value_t = PreviewSort::Name)]
    pub sort: PreviewSort,
    /// Sort in descending order.
    #[arg(long)]
    pub desc: bool,
    /// Print {"count", "contacts", "elapsed_ms"} as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate a CSV of N rows and import it into a fresh workspace.
    Import(BenchImportArgs),
    /// Generate a workspace of N contacts and time segment counts and previews.
    Segments(BenchSegmentsArgs),
    /// Send an email campaign to N generated contacts through a local SMTP
    /// sink, end to end, and measure the sink's own limit beside it.
    Send(BenchSendArgs),
    /// An SMS campaign through the real Twilio client to a local stand-in
    /// with simulated latency: the achieved rate against the configured
    /// one, the busiest second, and the sender's CPU.
    Sms(BenchSmsArgs),
    /// Generate campaigns with ledgers and relay events, rebuild the
    /// rollups, and time each analytics query against a raw scan.
    Analytics(BenchAnalyticsArgs),
}

#[derive(Debug, Args)]
pub struct BenchAnalyticsArgs {
    /// Relay events to generate.
    #[arg(long, default_value_t = 10_000_000)]
    pub events: u64,
    /// Campaigns to spread them over.
    #[arg(long, default_value_t = 200)]
    pub campaigns: u32,
    /// Contacts (each campaign is sent to all of them).
    #[arg(long, default_value_t = 20_000)]
    pub contacts: u32,
    /// Timed runs per query (median and p95 over them).
    #[arg(long, default_value_t = 20)]
    pub runs: u32,
    /// Fresh events then applied page by page as a sync applies them (what
    /// keeping the rollups costs a sync).
    #[arg(long, default_value_t = 20_000)]
    pub sync_events: u32,
    /// Seed for the generator: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep the generated workspace in this folder (default: a temp dir).
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Print the results as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchSmsArgs {
    /// Messages to send (one contact each), at most 999,999.
    #[arg(long, default_value_t = 10_000)]
    pub messages: u32,
    /// The configured rate, messages per second.
    #[arg(long, default_value_t = 100.0)]
    pub rate: f64,
    /// The stand-in's delay before it answers each request.
    #[arg(long, default_value_t = 20)]
    pub latency_ms: u64,
    /// Keep the generated workspace in this folder (default: a temp dir).
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Print the results as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchImportArgs {
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep the generated CSV and workspace in this folder (default: a temp dir).
    #[arg(long)]
    pub keep: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchSegmentsArgs {
    /// Contacts to generate.
    #[arg(long, default_value_t = 100_000)]
    pub contacts: u32,
    /// Timed runs per filter (after one untimed first run).
    #[arg(long, default_value_t = 20)]
    pub runs: u32,
    /// Seed for the generator: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep the generated workspace in this folder, and reuse it on the next
    /// run with the same --contacts and --seed (default: a temp dir).
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Print the results as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchSendArgs {
    /// Contacts to generate, all in the campaign's audience.
    #[arg(long, default_value_t = 100_000)]
    pub recipients: u32,
    /// SMTP connections (messages in flight at once), 1 to 16.
    #[arg(long, default_value_t = 4)]
    pub connections: u8,
    /// Seed for the generator: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep the generated workspace in this folder (default: a temp dir).
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Print the results as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum RelayCommand {
    /// Set the relay's base URL (https://, or http:// on this machine).
    SetUrl { url: String },
    /// The relay's signing key and API token.
    #[command(subcommand)]
    Keys(RelayKeysCommand),
    /// Show the relay URL, the last sync and which keys are in the keychain
    /// (never the keys themselves).
    Status(RelayStatusArgs),
    /// Check that the relay is up and accepts this computer's API token.
    Test,
}

#[derive(Debug, Subcommand)]
pub enum RelayKeysCommand {
    /// Create the signing key and API token in this computer's keychain and
    /// print them once, as the lines to paste into the relay's configuration.
    Generate(RelayKeysGenerateArgs),
}

#[derive(Debug, Args)]
pub struct RelayKeysGenerateArgs {
    /// Make a new signing key (the next id) current and keep the current one
    /// as the previous key, which the relay still accepts.
    #[arg(long)]
    pub rotate: bool,
}

#[derive(Debug, Args)]
pub struct RelayStatusArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Print what the sync did as one JSON object.
    #[arg(long)]
    pub json: bool,
}
