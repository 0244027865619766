-- Orders and their lines. An order is written once at checkout (pending) and then changes status
-- exactly once, to confirmed or cancelled; version counts those changes.
CREATE TABLE orders (
  id                uuid PRIMARY KEY,
  account_id        text NOT NULL,
  status            text NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled')),
  cancel_reason     text CHECK (cancel_reason IN
                      ('payment_declined', 'insufficient_funds', 'payment_error', 'payment_timeout')),
  total_minor       bigint NOT NULL CHECK (total_minor >= 0),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  payment_id        uuid,
  cart_updated_at   timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  payment_deadline  timestamptz NOT NULL,
  version           integer NOT NULL DEFAULT 0,
  -- A cancelled order says why; no other order has a reason.
  CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
);

-- A caller's orders, newest first.
CREATE INDEX orders_account_created_idx ON orders (account_id, created_at DESC, id DESC);
-- What the deadline sweeper looks for: pending orders by deadline.
CREATE INDEX orders_pending_deadline_idx ON orders (payment_deadline) WHERE status = 'pending';

CREATE TABLE order_items (
  order_id          uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line              integer NOT NULL,
  product_id        uuid NOT NULL,
  name              text NOT NULL,
  quantity          integer NOT NULL CHECK (quantity > 0),
  unit_price_minor  bigint NOT NULL CHECK (unit_price_minor >= 0),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  PRIMARY KEY (order_id, line),
  UNIQUE (order_id, product_id)
);

-- Checkout idempotency keys, per account. A key is claimed (in_flight) before anything else
-- happens, so a concurrent repeat sees it; the claim becomes completed, with the response to
-- replay, in the transaction that writes the order. A refused checkout deletes its claim. A claim
-- left in flight (the process died, or releasing the stock failed) carries the order id and the
-- lines it may have reserved, so that the sweeper can announce the order as cancelled and the
-- catalog releases the stock.
CREATE TABLE idempotency_keys (
  account_id       text NOT NULL,
  idempotency_key  text NOT NULL,
  request_hash     text NOT NULL,
  state            text NOT NULL CHECK (state IN ('in_flight', 'completed')),
  order_id         uuid NOT NULL,
  -- The lines and total the stock was (or may have been) reserved for; null before reserving.
  reserved         jsonb,
  response_status  integer,
  response_body    jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz,
  PRIMARY KEY (account_id, idempotency_key),
  CHECK ((state = 'completed') = (response_status IS NOT NULL AND response_body IS NOT NULL))
);

-- Order ids whose stock may be held at the catalog although no order was written: the catalog's
-- answer to the reservation never arrived, or releasing it failed. The checkout's key is freed at
-- once; after the lease, when any late reservation has landed, the sweeper announces the order id
-- as cancelled, so the catalog releases whatever it holds for it.
CREATE TABLE unsettled_reservations (
  order_id    uuid PRIMARY KEY,
  account_id  text NOT NULL,
  reserved    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idempotency_keys_in_flight_idx ON idempotency_keys (created_at)
  WHERE state = 'in_flight';
CREATE INDEX idempotency_keys_completed_idx ON idempotency_keys (completed_at)
  WHERE state = 'completed';

-- The transactional outbox (the project's common shape): events written with the change that
-- caused them, published to Kafka by the relay.
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
