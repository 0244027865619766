-- Only the roles the gateway knows; a typo in a manual grant fails instead of silently granting
-- nothing. At least one role, so no account exists without customer rights.
ALTER TABLE accounts
  ADD CONSTRAINT accounts_roles_known CHECK (roles <@ ARRAY['customer', 'admin']::text[]),
  ADD CONSTRAINT accounts_roles_present CHECK (cardinality(roles) > 0);
