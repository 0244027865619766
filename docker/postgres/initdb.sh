#!/bin/sh
# Run by the postgres image's entrypoint on the first start of an empty data directory
# (mounted into /docker-entrypoint-initdb.d/). Hands the service roles' passwords from the
# container's environment to init.sql as psql variables, so that none is written to a file.
set -e

: "${GATEWAY_DB_PASSWORD:?GATEWAY_DB_PASSWORD must be set}"
: "${CATALOG_DB_PASSWORD:?CATALOG_DB_PASSWORD must be set}"
: "${ORDER_DB_PASSWORD:?ORDER_DB_PASSWORD must be set}"
: "${PAYMENT_DB_PASSWORD:?PAYMENT_DB_PASSWORD must be set}"
: "${NOTIFICATION_DB_PASSWORD:?NOTIFICATION_DB_PASSWORD must be set}"

psql -v ON_ERROR_STOP=1 --no-psqlrc \
  --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
  -v gateway_password="$GATEWAY_DB_PASSWORD" \
  -v catalog_password="$CATALOG_DB_PASSWORD" \
  -v order_password="$ORDER_DB_PASSWORD" \
  -v payment_password="$PAYMENT_DB_PASSWORD" \
  -v notification_password="$NOTIFICATION_DB_PASSWORD" \
  -f "${STOREFRONT_INIT_SQL:-/storefront/init.sql}"
