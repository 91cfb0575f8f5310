-- How an added repository is read (hone repo add --ssh-key-file, --passphrase-env, --known-hosts, --ca-cert).
-- Keep equivalent in db/migration/sqlite and db/migration/postgresql.
-- Secrets are never stored: the key stays in its file (ssh_key_file holds its path), passphrase_env holds the NAME
-- of the environment variable that holds the passphrase.
ALTER TABLE repositories ADD COLUMN ssh_key_file TEXT;
ALTER TABLE repositories ADD COLUMN passphrase_env TEXT;
ALTER TABLE repositories ADD COLUMN known_hosts_file TEXT;
ALTER TABLE repositories ADD COLUMN ca_cert_file TEXT;
