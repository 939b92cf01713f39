#!/bin/sh
# Runs once, on the first start of the mariadb service (docker-entrypoint-initdb.d):
# one database and one user per subgraph, each user with rights on its own
# database only, and a migrator that may change the schema of all of them.
set -eu
for name in customers contacts billing claims key_accounts; do
  var=$(echo "$name" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD
  password=$(eval "printf '%s' \"\${$var}\"")
  mariadb -uroot -p"$MARIADB_ROOT_PASSWORD" <<SQL
CREATE DATABASE IF NOT EXISTS customer360_${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '${name}'@'%' IDENTIFIED BY '${password}';
GRANT SELECT, INSERT, UPDATE, DELETE ON customer360_${name}.* TO '${name}'@'%';
CREATE USER IF NOT EXISTS 'migrator'@'%' IDENTIFIED BY '${MIGRATOR_DB_PASSWORD}';
GRANT ALL PRIVILEGES ON customer360_${name}.* TO 'migrator'@'%';
SQL
done
