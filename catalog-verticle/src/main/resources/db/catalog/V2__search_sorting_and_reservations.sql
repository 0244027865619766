-- Full-text search over name (weight A) and description (weight B). The 'english' configuration
-- stems words ("kettles" finds "kettle"); queries must use the same configuration to hit the index.
ALTER TABLE products
  ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, name), 'A')
      || setweight(to_tsvector('english'::regconfig, description), 'B')
  ) STORED;

CREATE INDEX products_search_idx ON products USING gin (search);

-- Every listing order ends in id, so pages never overlap or skip rows with equal keys; each
-- order, with and without a category filter, can be read from an index in order.
CREATE INDEX products_price_idx ON products (price_minor, id);
CREATE INDEX products_category_name_idx ON products (category_id, name, id);
CREATE INDEX products_category_price_idx ON products (category_id, price_minor, id);
DROP INDEX products_category_idx;

-- Stock reservations. products.stock is what is left to sell: reserving moves units out of it
-- into a reservation, releasing puts them back, committing makes them sold. For every product,
-- the stock it started with = stock + units in 'reserved' + units in 'committed' reservations.
CREATE TABLE stock_reservations (
  order_id    uuid PRIMARY KEY,
  status      text NOT NULL CHECK (status IN ('reserved', 'committed', 'released')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- No foreign key to products: a reservation is a record of what happened to an order and
-- outlives a product that is deleted later. A product with a 'reserved' reservation cannot be
-- deleted; the catalog checks that under the product's row lock.
CREATE TABLE stock_reservation_items (
  order_id    uuid NOT NULL REFERENCES stock_reservations (order_id) ON DELETE CASCADE,
  product_id  uuid NOT NULL,
  quantity    integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, product_id)
);

CREATE INDEX stock_reservation_items_product_idx ON stock_reservation_items (product_id);
