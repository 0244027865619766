-- Every unit ever put on sale: the stock a product was created with plus every adjustment an
-- admin made since. Reservations only move units between on sale (stock), reserved and sold, so
--   stock_received = stock + reserved + sold
-- holds for every product at every commit; the reconciliation audit checks it.
ALTER TABLE products ADD COLUMN stock_received bigint;

UPDATE products p
   SET stock_received = p.stock + coalesce(
         (SELECT sum(i.quantity)
            FROM stock_reservation_items i
            JOIN stock_reservations r ON r.order_id = i.order_id
           WHERE i.product_id = p.id AND r.status IN ('reserved', 'committed')), 0);

ALTER TABLE products ALTER COLUMN stock_received SET NOT NULL;
ALTER TABLE products ADD CONSTRAINT products_stock_received_covers_stock
  CHECK (stock_received >= stock);
