-- Every consumed order event is recorded here in the same transaction as its effect on a
-- reservation, so a redelivered event is recognised and applied once.
CREATE TABLE processed_events (
  event_id      uuid PRIMARY KEY,
  event_type    text NOT NULL,
  processed_at  timestamptz NOT NULL DEFAULT now()
);
