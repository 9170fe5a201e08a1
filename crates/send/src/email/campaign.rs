//! An email campaign, assembled from the workspace for the send engine:
//! its content prepared once ([`EmailComposer`]), the SMTP pool
//! ([`SmtpMessenger`]) and the run's options — or, before anything is
//! sent, a clear reason why it cannot go out yet.
//!
//! Settings read here besides SMTP's own (docs/email.md): the unsubscribe
//! mailto (`email.unsubscribe_mailto`), DKIM (`email.dkim`, its key in the
//! keychain), the relay (URL in the workspace, signing key in the
//! keychain). Without a relay nothing is tracked, and the campaign needs a
//! mailto unsubscribe address instead: every message must carry a working
//! way out.
//!
//! A campaign whose content uses `web_view_url` has its web version
//! published to the relay before it starts ([`ready_to_start`]) and before
//! a test send ([`publish_web_version`]), so the link works in the first
//! message.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use herald_core::token::SigningKey;
use herald_core::EmailAddress;
use herald_store::ledger::BatchRow;
use herald_store::{campaign_attachments, campaigns, relay_sync, settings, Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::compose::{
    self, Attachment, CampaignContent, ComposeContext, ComposeError, DkimSettings,
    PreparedCampaign, RecipientData,
};
use super::smtp::{self, Endpoint, SmtpFailure, SmtpPool, SmtpSettings};
use crate::engine::{Composer, Delivery, Messenger, Outgoing, RunOptions};
use crate::relay::{RelayError, RelayUrl, MAX_WEB_VERSION};
use crate::secrets::{SecretName, Secrets, SecretsError};
use crate::sync::{self, SyncError};

/// The setting holding the address that unsubscribes whoever writes to it.
pub const UNSUBSCRIBE_MAILTO: &str = "email.unsubscribe_mailto";
/// The setting holding the DKIM domain and selector.
pub const DKIM: &str = "email.dkim";

/// DKIM's public part; the private key is in the keychain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DkimSetting {
    pub domain: String,
    pub selector: String,
}

/// Why an email campaign cannot be sent as it is.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// Something the user must set or fix first; `field` names it.
    #[error("{field}: {message}")]
    NotReady {
        field: &'static str,
        message: String,
    },
    #[error(transparent)]
    Compose(#[from] ComposeError),
    #[error(transparent)]
    Keychain(#[from] SecretsError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Settings(#[from] smtp::SettingsError),
    /// The relay did not take the web version: unreachable, the API token
    /// refused, or it answered with an error (named).
    #[error("could not publish the web version to the relay: {0}")]
    Publish(RelayError),
}

fn not_ready(field: &'static str, message: impl Into<String>) -> SetupError {
    SetupError::NotReady {
        field,
        message: message.into(),
    }
}

/// Everything a send of one email campaign needs.
#[derive(Debug)]
pub struct EmailSetup {
    pub composer: Arc<EmailComposer>,
    pub messenger: Arc<SmtpMessenger>,
    pub options: RunOptions,
    /// Whether opens and clicks are tracked (a relay is set and the
    /// campaign has tracking on).
    pub tracking: bool,
}

/// The relay and its signing key, when both are set.
pub async fn relay_signing(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
) -> Result<Option<(RelayUrl, SigningKey)>, SetupError> {
    let Some(url) = relay_sync::url(store).await? else {
        return Ok(None);
    };
    let Ok(url) = RelayUrl::parse(&url) else {
        return Ok(None);
    };
    let secrets = Arc::clone(secrets);
    let key = tokio::task::spawn_blocking(move || secrets.get(SecretName::RelaySigningKey))
        .await
        .map_err(|e| StoreError::Internal(anyhow::anyhow!("reading the keychain: {e}")))??;
    let Some(key) = key else {
        return Ok(None);
    };
    let key = SigningKey::parse(key.expose())
        .map_err(|_| SecretsError::Corrupt(SecretName::RelaySigningKey))?;
    Ok(Some((url, key)))
}

/// The unsubscribe mailto address, if one is set.
pub async fn unsubscribe_mailto(store: &Store) -> Result<Option<EmailAddress>, SetupError> {
    let raw: Option<String> = settings::get(store, UNSUBSCRIBE_MAILTO).await?;
    raw.filter(|s| !s.trim().is_empty())
        .map(|s| EmailAddress::parse(&s))
        .transpose()
        .map_err(|e| not_ready("unsubscribeMailto", e.to_string()))
}

async fn dkim(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
) -> Result<Option<DkimSettings>, SetupError> {
    let Some(setting) = settings::get::<DkimSetting>(store, DKIM).await? else {
        return Ok(None);
    };
    let secrets = Arc::clone(secrets);
    let key = tokio::task::spawn_blocking(move || secrets.get(SecretName::DkimKey))
        .await
        .map_err(|e| StoreError::Internal(anyhow::anyhow!("reading the keychain: {e}")))??;
    let Some(key) = key else {
        return Err(not_ready(
            "dkim",
            "DKIM is set up but its private key is missing from the keychain; add it again in Settings → Email",
        ));
    };
    Ok(Some(DkimSettings::new(
        &setting.domain,
        &setting.selector,
        key.expose(),
    )?))
}

/// The SMTP settings, or the reason sending is not set up.
pub async fn smtp_settings(store: &Store) -> Result<SmtpSettings, SetupError> {
    smtp::settings::load(store).await?.ok_or_else(|| {
        not_ready(
            "smtp",
            "email sending is not set up yet: add your SMTP server in Settings → Email",
        )
    })
}

/// Prepares `campaign`'s content (once) with the workspace's settings.
/// Used for sending, for test sends and for the preview.
pub async fn prepare(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
    campaign: Uuid,
) -> Result<(PreparedCampaign, bool), SetupError> {
    let c = campaigns::get(store, campaigns::CampaignId::from_uuid(campaign)).await?;
    let smtp = smtp_settings(store).await?;
    let relay = relay_signing(store, secrets).await?;
    let mailto = unsubscribe_mailto(store).await?;
    if relay.is_none() && mailto.is_none() {
        return Err(not_ready(
            "unsubscribeMailto",
            "without a relay, every message needs an unsubscribe address that works: set \
             one in Settings → Email (or set up the relay in Settings → Relay)",
        ));
    }
    if c.subject.trim().is_empty() {
        return Err(not_ready("subject", "the campaign has no subject"));
    }
    if c.html.trim().is_empty() {
        return Err(not_ready("html", "the campaign has no content"));
    }
    let tracking = c.tracking && relay.is_some();
    let from_address = c
        .from_address
        .clone()
        .unwrap_or_else(|| smtp.from_address().clone());
    let from_name = c
        .from_name
        .clone()
        .or_else(|| smtp.from_name().map(str::to_owned))
        .unwrap_or_default();
    let reply_to = c.reply_to.clone().or_else(|| smtp.reply_to().cloned());
    let attachments = campaign_attachments::load_all(store, c.id)
        .await?
        .into_iter()
        .map(|a| Attachment {
            filename: a.info.filename,
            content_type: a.info.content_type,
            bytes: Arc::new(a.bytes),
        })
        .collect();
    let content = CampaignContent {
        subject: c.subject.clone(),
        preheader: c.preheader.clone(),
        from_name,
        from_address,
        reply_to,
        reply_to_name: None,
        html: c.html.clone(),
        text: c.text_body.clone(),
        tracking,
    };
    let ctx = ComposeContext {
        campaign_id: campaign,
        campaign_name: c.name.clone(),
        relay,
        unsubscribe_mailto: mailto,
        dkim: dkim(store, secrets).await?,
        attachments,
    };
    let prepared = tokio::task::spawn_blocking(move || compose::prepare(&content, ctx))
        .await
        .map_err(|e| StoreError::Internal(anyhow::anyhow!("preparing the campaign: {e}")))??;
    Ok((prepared, tracking))
}

/// Assembles the send of `campaign`: content, SMTP pool, options.
pub async fn setup(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
    campaign: Uuid,
) -> Result<EmailSetup, SetupError> {
    let (prepared, tracking) = prepare(store, secrets, campaign).await?;
    let smtp = smtp_settings(store).await?;
    // A server without AUTH needs no keychain at all (cron on a headless
    // machine may have none).
    let password = match smtp.username() {
        Some(_) => smtp::settings::password(Arc::clone(secrets)).await?,
        None => None,
    };
    let rate = herald_store::campaign_runs::state(store, campaign)
        .await?
        .rate
        .unwrap_or_else(|| smtp.messages_per_second());
    let options = RunOptions {
        concurrency: smtp.connections(),
        rate: Some(rate),
        ..RunOptions::default()
    };
    let pool = SmtpPool::new(Endpoint::new(&smtp, password), smtp.connections());
    Ok(EmailSetup {
        composer: Arc::new(EmailComposer { prepared }),
        messenger: Arc::new(SmtpMessenger { pool }),
        options,
        tracking,
    })
}

/// Checks that `campaign` can be sent and gets what its messages link to
/// ready: when its content uses `web_view_url`, its web version is
/// published to the relay. Called by every start (the app's, the
/// scheduler's, `herald campaigns send` and `run-due`) before the audience
/// is resolved, so a failure leaves the campaign as it was, nothing sent.
pub async fn ready_to_start(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
    campaign: Uuid,
) -> Result<(), SetupError> {
    let (prepared, _) = prepare(store, secrets, campaign).await?;
    publish_web_version(store, secrets, &prepared).await?;
    Ok(())
}

/// Publishes `prepared`'s web version to the workspace's relay when its
/// content uses `web_view_url` (returns whether it did); otherwise the
/// relay is not contacted at all.
pub async fn publish_web_version(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
    prepared: &PreparedCampaign,
) -> Result<bool, SetupError> {
    if !prepared.uses_web_view() {
        return Ok(false);
    }
    let version = prepared.web_version()?;
    let size = serde_json::to_vec(&version).map_or(usize::MAX, |body| body.len());
    if size > MAX_WEB_VERSION {
        return Err(not_ready(
            "html",
            format!(
                "could not publish the web version to the relay: it is {:.1} MiB and the relay                  keeps 2 MiB at most; make the HTML smaller (images are best linked, not embedded)",
                size as f64 / (1024.0 * 1024.0)
            ),
        ));
    }
    let client = sync::connect(store, Arc::clone(secrets))
        .await
        .map_err(|e| match e {
            SyncError::Relay(e) => SetupError::Publish(e),
            SyncError::Secrets(e) => SetupError::Keychain(e),
            SyncError::Store(e) => SetupError::Store(e),
            other => not_ready(
                "relay",
                format!("could not publish the web version to the relay: {other}"),
            ),
        })?;
    client
        .publish_web_view(prepared.campaign_id(), &version)
        .await
        .map_err(SetupError::Publish)?;
    Ok(true)
}

/// What templates see of a ledger row.
pub fn recipient_data(row: &BatchRow) -> Result<RecipientData, String> {
    let email = EmailAddress::parse(&row.address)
        .map_err(|e| format!("the address {:?} is not valid: {e}", row.address))?;
    Ok(RecipientData {
        contact_id: row.contact_id,
        email: Some(email),
        first_name: row.first_name.clone(),
        last_name: row.last_name.clone(),
        phone: row.phone.clone(),
        company: row.company.clone(),
        country: row.country.clone(),
        custom: row
            .custom
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    })
}

/// A campaign's prepared content as the engine's [`Composer`].
#[derive(Debug)]
pub struct EmailComposer {
    prepared: PreparedCampaign,
}

impl EmailComposer {
    pub fn new(prepared: PreparedCampaign) -> EmailComposer {
        EmailComposer { prepared }
    }

    pub fn prepared(&self) -> &PreparedCampaign {
        &self.prepared
    }
}

impl Composer for EmailComposer {
    fn compose(&self, row: &BatchRow) -> Result<Outgoing, String> {
        let data = recipient_data(row)?;
        let email = self
            .prepared
            .render(&data, false)
            .map_err(|e| e.to_string())?;
        Ok(Outgoing {
            parts: None,
            contact_id: row.contact_id,
            message_id: email.message_id,
            from: email.envelope_from,
            to: email.to,
            body: email.raw,
        })
    }
}

/// The SMTP pool as the engine's [`Messenger`].
#[derive(Debug)]
pub struct SmtpMessenger {
    pool: SmtpPool,
}

impl SmtpMessenger {
    pub fn new(pool: SmtpPool) -> SmtpMessenger {
        SmtpMessenger { pool }
    }

    pub fn pool(&self) -> &SmtpPool {
        &self.pool
    }
}

#[async_trait]
impl Messenger for SmtpMessenger {
    async fn deliver(&self, message: &Outgoing) -> Delivery {
        match self
            .pool
            .send(&message.from, &message.to, &message.body)
            .await
        {
            Ok(accepted) => Delivery::Accepted {
                provider_message_id: Some(accepted.queue_id.unwrap_or(accepted.reply)),
            },
            // A 5xx while the connection is set up (a refused login, "554
            // no service") is the pool's only transient failure with a 5xx
            // code: no message can go out until the settings change.
            Err(SmtpFailure::Transient { reply }) if reply.starts_with('5') => Delivery::Fatal {
                reason: format!("the SMTP server refused the connection: {reply}"),
            },
            Err(SmtpFailure::Transient { reply }) => Delivery::Transient {
                reason: reply,
                retry_after: None,
            },
            Err(SmtpFailure::Permanent { reply }) => Delivery::Permanent { reason: reply },
            Err(SmtpFailure::Unknown { detail }) => Delivery::Unknown { reason: detail },
        }
    }
}
