-- Where the time between a checkout and its e-mail goes, hop by hop, for the orders created
-- between :from and :to (epoch seconds): p50 and p99 in milliseconds of each step, from the
-- timestamps the services write anyway. now() is a transaction's start, so a step's figure
-- includes the transaction that records it.
WITH o AS (
  SELECT id, created_at, updated_at FROM orders.orders
  WHERE created_at >= to_timestamp(:from) AND created_at < to_timestamp(:to) AND status <> 'pending'),
steps AS (
  SELECT
    oc.published_at - o.created_at AS "1 order outbox -> Kafka",
    p.created_at - oc.published_at AS "2 Kafka -> payment consumed",
    p.updated_at - p.created_at AS "3 card processor",
    ps.published_at - p.updated_at AS "4 payment outbox -> Kafka",
    o.updated_at - ps.published_at AS "5 Kafka -> order confirmed",
    of.published_at - o.updated_at AS "6 order outbox -> Kafka",
    f.at - of.published_at AS "7 Kafka -> feed entry",
    m.at - f.at AS "8 feed entry -> e-mail sent",
    m.at - o.created_at AS "total"
  FROM o
  JOIN orders.outbox oc ON oc.event_key = o.id::text AND oc.event_type = 'OrderCreated'
  JOIN payments.payments p ON p.order_id = o.id
  JOIN payments.outbox ps ON ps.event_key = o.id::text AND ps.event_type LIKE 'Payment%'
  JOIN orders.outbox of ON of.event_key = o.id::text AND of.event_type IN ('OrderConfirmed', 'OrderCancelled')
  JOIN LATERAL (SELECT max(created_at) AS at FROM notifications.feed WHERE order_id = o.id) f ON true
  JOIN LATERAL (SELECT max(sent_at) AS at FROM notifications.deliveries
                WHERE order_id = o.id AND channel = 'email') m ON true)
SELECT step,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::numeric) AS p50_ms,
       round((percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::numeric) AS p99_ms
FROM steps, LATERAL (VALUES
  ('1 order outbox -> Kafka', EXTRACT(EPOCH FROM "1 order outbox -> Kafka") * 1000),
  ('2 Kafka -> payment consumed', EXTRACT(EPOCH FROM "2 Kafka -> payment consumed") * 1000),
  ('3 card processor', EXTRACT(EPOCH FROM "3 card processor") * 1000),
  ('4 payment outbox -> Kafka', EXTRACT(EPOCH FROM "4 payment outbox -> Kafka") * 1000),
  ('5 Kafka -> order confirmed', EXTRACT(EPOCH FROM "5 Kafka -> order confirmed") * 1000),
  ('6 order outbox -> Kafka', EXTRACT(EPOCH FROM "6 order outbox -> Kafka") * 1000),
  ('7 Kafka -> feed entry', EXTRACT(EPOCH FROM "7 Kafka -> feed entry") * 1000),
  ('8 feed entry -> e-mail sent', EXTRACT(EPOCH FROM "8 feed entry -> e-mail sent") * 1000),
  ('total', EXTRACT(EPOCH FROM "total") * 1000)) AS v(step, ms)
GROUP BY step ORDER BY step;
