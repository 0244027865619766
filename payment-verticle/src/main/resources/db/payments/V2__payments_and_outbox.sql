-- One payment per order: the unique order id is the service's own guarantee that an order is
-- charged at most once, whatever the processor remembers. The order id is also the idempotency key
-- of the charge at the processor.
CREATE TABLE payments (
  id                 uuid PRIMARY KEY,
  order_id           uuid NOT NULL UNIQUE,
  account_id         text NOT NULL,
  amount_minor       bigint NOT NULL,
  currency           char(3) NOT NULL,
  status             text NOT NULL
                     CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded', 'voided')),
  failure_reason     text CHECK (failure_reason IN ('declined', 'insufficient_funds', 'processor_error')),
  failure_detail     text,
  -- Never the whole card number.
  card_last4         text,
  processor_ref      text,
  attempts           int NOT NULL DEFAULT 0,
  -- The order was cancelled: a pending payment is voided, a succeeded one refunded.
  order_cancelled    boolean NOT NULL DEFAULT false,
  -- The processor must still be told to reverse whatever it took or may yet take under the
  -- order's key (a cancelled order's charge, or a charge given up on after timeouts).
  reversal_pending   boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Recovery looks for payments left unfinished.
CREATE INDEX payments_unfinished_idx ON payments (updated_at)
  WHERE status = 'pending' OR reversal_pending;

CREATE TABLE outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id     uuid NOT NULL UNIQUE,
  topic        text NOT NULL,
  event_key    text NOT NULL,
  event_type   text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
