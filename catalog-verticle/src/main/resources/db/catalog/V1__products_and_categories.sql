-- Products and the categories they belong to. Prices are integers in minor units (cents) so no
-- rounding ever touches money; stock never goes negative.
CREATE TABLE categories (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug        text NOT NULL UNIQUE,
  name        text NOT NULL
);

CREATE TABLE products (
  id           uuid PRIMARY KEY,
  sku          text NOT NULL UNIQUE,
  name         text NOT NULL,
  description  text NOT NULL DEFAULT '',
  category_id  bigint NOT NULL REFERENCES categories (id),
  price_minor  bigint NOT NULL CHECK (price_minor >= 0),
  currency     char(3) NOT NULL,
  stock        integer NOT NULL CHECK (stock >= 0),
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX products_category_idx ON products (category_id);
CREATE INDEX products_name_idx ON products (name, id);
