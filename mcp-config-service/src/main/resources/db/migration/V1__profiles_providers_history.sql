-- The global configuration version: bumped in the same transaction as every config write, so a
-- cache that knows version N knows every write up to N.
CREATE TABLE config_version (
    id      smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version bigint   NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 0);

-- Where models are served. Secrets are never stored: api_key_env names the environment variable
-- (or Kubernetes Secret key) of the adapter process that holds the key.
CREATE TABLE providers (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    dialect     text        NOT NULL,
    base_url    text        NOT NULL DEFAULT '',
    api_key_env text        NOT NULL DEFAULT '',
    models      jsonb       NOT NULL DEFAULT '[]'::jsonb,
    options     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE profiles (
    name          text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    description   text        NOT NULL DEFAULT '',
    system_prompt text        NOT NULL DEFAULT '',
    params        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    allowed_tools jsonb       NOT NULL DEFAULT '[]'::jsonb,
    is_default    boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- At most one default profile.
CREATE UNIQUE INDEX profiles_single_default ON profiles (is_default) WHERE is_default;

-- A profile's fallback chain, tried in position order.
CREATE TABLE profile_targets (
    profile_name  text NOT NULL REFERENCES profiles (name) ON DELETE CASCADE ON UPDATE CASCADE,
    position      int  NOT NULL CHECK (position >= 0),
    provider_name text NOT NULL REFERENCES providers (name) ON UPDATE CASCADE,
    model         text NOT NULL,
    PRIMARY KEY (profile_name, position)
);

CREATE TABLE conversations (
    id         text PRIMARY KEY,
    user_id    text        NOT NULL,
    profile    text,
    title      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_by_user ON conversations (user_id, updated_at DESC);

CREATE TABLE messages (
    id              bigserial PRIMARY KEY,
    conversation_id text        NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            text        NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
    content         text        NOT NULL DEFAULT '',
    tool_calls      jsonb,
    tool_call_id    text,
    name            text,
    finish_reason   text,
    truncated       boolean     NOT NULL DEFAULT false,
    provider        text,
    model           text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
