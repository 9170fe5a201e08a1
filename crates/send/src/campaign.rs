//! A campaign's send assembled for its channel: the email or SMS setup
//! behind the engine's ports, so the app and the CLI start either the same
//! way.

use std::sync::Arc;

use herald_core::Channel;
use herald_store::{campaigns, Store, StoreError};
use uuid::Uuid;

use crate::email::campaign as email;
use crate::engine::{Composer, Messenger, RunOptions};
use crate::secrets::Secrets;
use crate::sms::campaign as sms;

/// Why a campaign cannot be sent as it is, by channel.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Email(#[from] email::SetupError),
    #[error(transparent)]
    Sms(#[from] sms::SetupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Everything a send of one campaign needs.
pub struct Setup {
    pub channel: Channel,
    pub composer: Arc<dyn Composer>,
    pub messenger: Arc<dyn Messenger>,
    pub options: RunOptions,
    /// Email: whether opens and clicks are tracked. Always false for SMS.
    pub tracking: bool,
}

impl std::fmt::Debug for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setup")
            .field("channel", &self.channel)
            .field("options", &self.options)
            .field("tracking", &self.tracking)
            .finish_non_exhaustive()
    }
}

/// The channel `campaign` is sent on.
pub async fn channel_of(store: &Store, campaign: Uuid) -> Result<Channel, StoreError> {
    Ok(
        campaigns::get(store, campaigns::CampaignId::from_uuid(campaign))
            .await?
            .channel,
    )
}

/// Assembles the send of `campaign` for its channel.
pub async fn setup(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
    campaign: Uuid,
) -> Result<Setup, SetupError> {
    Ok(match channel_of(store, campaign).await? {
        Channel::Email => {
            let s = email::setup(store, secrets, campaign).await?;
            Setup {
                channel: Channel::Email,
                composer: s.composer,
                messenger: s.messenger,
                options: s.options,
                tracking: s.tracking,
            }
        }
        Channel::Sms => {
            let s = sms::setup(store, secrets, campaign).await?;
            Setup {
                channel: Channel::Sms,
                composer: s.composer,
                messenger: s.messenger,
                options: s.options,
                tracking: false,
            }
        }
    })
}

/// Checks that `campaign` could be sent now (settings, content,
/// credentials), without sending anything. Called before a send starts: an
/// email that uses `web_view_url` has its web version published to the
/// relay here ([`email::ready_to_start`]).
pub async fn check(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
    campaign: Uuid,
) -> Result<(), SetupError> {
    match channel_of(store, campaign).await? {
        Channel::Email => {
            email::ready_to_start(store, secrets, campaign).await?;
        }
        Channel::Sms => {
            sms::setup(store, secrets, campaign).await?;
        }
    }
    Ok(())
}
