-- Payment tokens: what a shopper's card becomes when the payment service takes it. The token id is
-- all that leaves the service; the card number is kept only sealed (AES-256-GCM under a key from
-- the service's configuration, never from the database, bound to the token id), so that a copy of
-- the database or a backup yields no card number. Brand, last four digits and expiry are what may
-- be shown; the card verification code is never stored.
CREATE TABLE payment_tokens (
  id           text PRIMARY KEY,
  account_id   text NOT NULL,
  brand        text NOT NULL,
  last4        char(4) NOT NULL,
  exp_month    smallint NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year     smallint NOT NULL,
  -- Which configured key sealed the card: a key that is not configured cannot open it.
  key_id       text NOT NULL,
  card_sealed  bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);

-- Expired tokens are deleted by age.
CREATE INDEX payment_tokens_expires_idx ON payment_tokens (expires_at);
