-- Logins per e-mail address as typed (trimmed, lower-cased, SHA-256), whether or not an account
-- has it, so that the limit on failed logins treats unknown addresses exactly like known ones and
-- stores no address in clear. A row is counted when a login starts and deleted when one succeeds;
-- rows a day past their last attempt are swept.
CREATE TABLE login_attempts (
  email_key     bytea PRIMARY KEY CHECK (octet_length(email_key) = 32),
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  window_start  timestamptz NOT NULL DEFAULT now(),
  lockouts      integer NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
  locked_until  timestamptz,
  last_attempt  timestamptz NOT NULL DEFAULT now()
);
