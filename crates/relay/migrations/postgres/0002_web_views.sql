-- The web version of a campaign's email ("view this email in your
-- browser"), one per campaign, uploaded by the desktop and served at
-- /v/{token}. Not personalised: no contact data is stored here (the relay
-- fills in each reader's unsubscribe link when serving it). Never pruned:
-- emails sent long ago still link to it.
CREATE TABLE web_views (
    campaign_id UUID PRIMARY KEY,
    subject TEXT NOT NULL,
    html TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);
