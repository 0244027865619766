-- Checkout used to take the card number itself as paymentToken and wrote it into OrderCreated
-- (version 1) in the outbox; it now takes a token the payment service issued. No card number may
-- stay at rest: in every version 1 OrderCreated still here, published or not, the number is
-- replaced by 'removed' (the payment service declines such an order, which cancels it and releases
-- its stock). The idempotency keys' request hashes were computed over bodies holding the number,
-- and a hash of so few digits is as good as the number: they are replaced too. A checkout repeated
-- with such a body is refused before its key is looked at, so no replay is lost.
UPDATE outbox
   SET payload = jsonb_set(payload, '{data,paymentToken}', '"removed"')
 WHERE event_type = 'OrderCreated'
   AND (payload->>'version')::int = 1
   AND payload->'data' ? 'paymentToken';

UPDATE idempotency_keys SET request_hash = 'removed';
