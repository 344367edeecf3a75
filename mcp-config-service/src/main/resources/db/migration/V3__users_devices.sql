-- The people Hearth serves. id is the user_id that API keys and conversations already carry.
CREATE TABLE users (
    id           text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._@-]{1,128}$'),
    display_name text        NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 128),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Every user_id already in use becomes a user, named by its id until an admin says otherwise.
-- Conversation owners that are not well-formed ids (history never checked them) are left out:
-- conversations have no foreign key, so they keep working.
INSERT INTO users (id, display_name, created_at, updated_at)
SELECT user_id, user_id, min(created_at), min(created_at)
  FROM (SELECT user_id, created_at FROM api_keys
        UNION ALL
        SELECT user_id, created_at FROM conversations) owners
 WHERE user_id ~ '^[A-Za-z0-9._@-]{1,128}$'
 GROUP BY user_id;

-- A key belongs to a user that exists: creating a key for a new user_id creates the user in the
-- same transaction (ApiKeyRepository). A user is deleted only when none of its keys is usable;
-- its revoked and expired keys, useless by then, go with it.
ALTER TABLE api_keys
    ADD CONSTRAINT api_keys_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;

-- Hearth's own metadata about a home device; its live state stays with the bridge (zigbee-service).
CREATE TABLE devices (
    -- The Zigbee IEEE address (0x00124b0012345678) or another stable id.
    id            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._:@-]{1,128}$'),
    friendly_name text        NOT NULL CHECK (char_length(friendly_name) BETWEEN 1 AND 100),
    aliases       text[]      NOT NULL DEFAULT '{}',
    room          text        NOT NULL DEFAULT '' CHECK (char_length(room) <= 100),
    -- How careful the assistant must be with it: anything but normal asks before acting.
    risk_class    text        NOT NULL DEFAULT 'normal'
                  CHECK (risk_class IN ('normal', 'lock', 'cover', 'climate', 'alarm', 'appliance')),
    source        text        NOT NULL DEFAULT 'zigbee' CHECK (source IN ('zigbee', 'manual')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Every name a device answers to (its friendly name and each alias), in lower case: one row per
-- name, so "Kitchen Light" can name only one device. Kept by DeviceRepository in the writing
-- transaction; the primary key is what makes a racing duplicate fail.
CREATE TABLE device_names (
    name_key  text PRIMARY KEY,
    device_id text NOT NULL REFERENCES devices (id) ON DELETE CASCADE
);
CREATE INDEX device_names_by_device ON device_names (device_id);
