-- Who to write to about an order, from its OrderCreated. A PaymentFailed may be consumed before the
-- OrderCreated of its order (they travel on different topics), so an e-mail waits for its row here.
CREATE TABLE order_contacts (
  order_id    uuid PRIMARY KEY,
  account_id  text NOT NULL,
  -- Null: the account had no address at checkout; its e-mails are skipped.
  email       text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Endpoints an account asked to be told at. The secret signs every request and is shown only once,
-- when the webhook is created. A webhook that answered 410 Gone is kept, inactive, with the reason.
CREATE TABLE webhooks (
  id               uuid PRIMARY KEY,
  account_id       text NOT NULL,
  url              text NOT NULL,
  description      text,
  secret           text NOT NULL,
  active           boolean NOT NULL DEFAULT true,
  disabled_reason  text,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX webhooks_by_account ON webhooks (account_id, created_at);

-- The delivery log: one row per notification and channel and destination, written in the consumer's
-- transaction, then worked off by the dispatchers of every process. The unique key is what turns an
-- event delivered twice by Kafka into one e-mail and one request per webhook.
CREATE TABLE deliveries (
  id               uuid PRIMARY KEY,
  event_id         uuid NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('in_app', 'email', 'webhook')),
  -- The account id for in_app and email; the webhook id, or 'shop', for webhook.
  destination      text NOT NULL,
  kind             text NOT NULL,
  account_id       text NOT NULL,
  order_id         uuid,
  -- What is sent: the webhook body, or the notification an e-mail is rendered from.
  payload          jsonb NOT NULL,
  status           text NOT NULL
                   CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts         int NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  -- While 'sending': the claim expires then, and the row goes back to 'pending' (its process died).
  -- The value also identifies the claim: an outcome is only recorded by the claim's holder.
  lease_until      timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  UNIQUE (event_id, channel, destination)
);

-- What the dispatchers claim: due rows, oldest first.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
-- Claims whose process died.
CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE status = 'sending';
-- A webhook's delivery log, newest first.
CREATE INDEX deliveries_by_destination ON deliveries (destination, created_at DESC)
  WHERE channel = 'webhook';
-- The e-mails of an order, pulled forward when its contact arrives.
CREATE INDEX deliveries_email_by_order ON deliveries (order_id) WHERE channel = 'email';
