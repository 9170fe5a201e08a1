-- Herald workspace schema, part 6: finding a ledger row by the provider's
-- message id. Provider webhooks (bounces, complaints, deliveries) name the
-- message by the id the provider gave it, often without a campaign id; the
-- relay events' apply path looks the row up by it (docs/relay.md).
CREATE INDEX campaign_recipients_by_provider_id
    ON campaign_recipients (provider_message_id)
    WHERE provider_message_id IS NOT NULL;
