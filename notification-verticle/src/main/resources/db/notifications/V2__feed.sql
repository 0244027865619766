-- The in-app feed. Each account's notifications are numbered 1, 2, 3… by feed_heads, whose row is
-- locked by the appending transaction until it commits: an account's notifications therefore
-- commit in the order of their numbers, and a reader that has seen number n has seen all before it.
-- That number is the server-sent event id a reconnecting client resumes from.
CREATE TABLE feed_heads (
  account_id  text PRIMARY KEY,
  last_seq    bigint NOT NULL
);

CREATE TABLE feed (
  account_id  text NOT NULL,
  seq         bigint NOT NULL,
  event_id    uuid NOT NULL,
  kind        text NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  order_id    uuid,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz,
  PRIMARY KEY (account_id, seq),
  -- One event gives an account one notification, however often it is delivered.
  UNIQUE (account_id, event_id)
);

CREATE INDEX feed_unread ON feed (account_id, seq) WHERE read_at IS NULL;
