-- Shopper and operator accounts. E-mail addresses are unique whatever their case.
CREATE TABLE accounts (
  id             uuid PRIMARY KEY,
  email          text NOT NULL,
  password_hash  text NOT NULL,
  roles          text[] NOT NULL DEFAULT ARRAY['customer'],
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
