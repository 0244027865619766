-- Storefront database, one LOGIN role per service, one schema per service owned by its role.
--
-- Run as a superuser against any database of the server, passing each role's password as a psql
-- variable so that no password is ever written into this file:
--
--   psql -v ON_ERROR_STOP=1 \
--     -v gateway_password="$GATEWAY_DB_PASSWORD" -v catalog_password="$CATALOG_DB_PASSWORD" \
--     -v order_password="$ORDER_DB_PASSWORD" -v payment_password="$PAYMENT_DB_PASSWORD" \
--     -v notification_password="$NOTIFICATION_DB_PASSWORD" -f init.sql
--
-- In compose, initdb.sh does exactly that from the container's environment. Running the script
-- again is safe: it creates what is missing and resets the passwords to the ones given.
-- The services create their tables themselves (migrations at start-up) inside their schema.

\set ON_ERROR_STOP on

SELECT 'CREATE DATABASE storefront'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'storefront')\gexec

-- Roles are cluster-wide. "order" is a reserved word, hence the quoting (format's %I does it).
SELECT format('CREATE ROLE %I LOGIN', role_name)
FROM unnest(ARRAY['gateway', 'catalog', 'order', 'payment', 'notification']) AS role_name
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name)\gexec

ALTER ROLE gateway WITH LOGIN PASSWORD :'gateway_password';
ALTER ROLE catalog WITH LOGIN PASSWORD :'catalog_password';
ALTER ROLE "order" WITH LOGIN PASSWORD :'order_password';
ALTER ROLE payment WITH LOGIN PASSWORD :'payment_password';
ALTER ROLE notification WITH LOGIN PASSWORD :'notification_password';

-- Only the service roles may connect to the storefront database.
REVOKE ALL ON DATABASE storefront FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE storefront
  TO gateway, catalog, "order", payment, notification;

\connect storefront

-- Nobody but the owner creates objects in public: each service writes only to its own schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS identity AUTHORIZATION gateway;
CREATE SCHEMA IF NOT EXISTS catalog AUTHORIZATION catalog;
CREATE SCHEMA IF NOT EXISTS orders AUTHORIZATION "order";
CREATE SCHEMA IF NOT EXISTS payments AUTHORIZATION payment;
CREATE SCHEMA IF NOT EXISTS notifications AUTHORIZATION notification;

-- A role's unqualified names resolve in its own schema.
ALTER ROLE gateway IN DATABASE storefront SET search_path = identity;
ALTER ROLE catalog IN DATABASE storefront SET search_path = catalog;
ALTER ROLE "order" IN DATABASE storefront SET search_path = orders;
ALTER ROLE payment IN DATABASE storefront SET search_path = payments;
ALTER ROLE notification IN DATABASE storefront SET search_path = notifications;
