-- Herald workspace schema, part 7: SMS campaigns (docs/sms.md).

-- Whether the opt-out instruction ("Reply STOP to opt out", from the SMS
-- settings) is appended to every message. On by default; turning it off
-- takes an explicit confirmation in the app.
ALTER TABLE campaigns ADD COLUMN sms_opt_out INTEGER NOT NULL DEFAULT 1 CHECK (sms_opt_out IN (0, 1));

-- What the carrier reported for an SMS after the provider took it (the
-- provider's status callbacks, through the relay): queued, sent, delivered,
-- undelivered or failed. A final report (delivered, undelivered, failed)
-- is never replaced by an earlier stage arriving late.
ALTER TABLE campaign_recipients ADD COLUMN delivery_status TEXT
    CHECK (delivery_status IS NULL OR delivery_status IN ('queued', 'sent', 'delivered', 'undelivered', 'failed'));
-- The provider's error code and what it means, for undelivered and failed.
ALTER TABLE campaign_recipients ADD COLUMN delivery_error TEXT;
-- How many SMS parts the message took (what the provider bills).
ALTER TABLE campaign_recipients ADD COLUMN parts INTEGER;
