-- API keys of the clients the gateway serves. The secret is never stored: key_hash is the hex
-- SHA-256 of the whole key. Keys carry 256 random bits, so a fast hash is safe (nothing to guess)
-- and lets verification be one indexed lookup. prefix is the key's start, to tell keys apart.
CREATE TABLE api_keys (
    id                     text        PRIMARY KEY CHECK (id ~ '^k_[A-Za-z0-9]{12}$'),
    name                   text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    user_id                text        NOT NULL CHECK (user_id ~ '^[A-Za-z0-9._@-]{1,128}$'),
    key_hash               text        NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    prefix                 text        NOT NULL,
    scopes                 text[]      NOT NULL
                           CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['chat', 'admin']::text[]),
    -- Per-key limits; 0 means "the gateway's configured default".
    messages_per_minute    int         NOT NULL DEFAULT 0 CHECK (messages_per_minute >= 0),
    max_concurrent_streams int         NOT NULL DEFAULT 0 CHECK (max_concurrent_streams >= 0),
    max_connections        int         NOT NULL DEFAULT 0 CHECK (max_connections >= 0),
    created_at             timestamptz NOT NULL DEFAULT now(),
    expires_at             timestamptz,
    revoked_at             timestamptz,
    -- Refreshed at most once a minute by verification (a write per verification would be waste).
    last_used_at           timestamptz
);
CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at);
