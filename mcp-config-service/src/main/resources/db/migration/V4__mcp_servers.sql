-- External MCP servers the aggregator connects to; their tools are offered as <name>__<tool>.
-- The name has no double underscore: "__" separates the server from the tool. Secrets are never
-- stored: headers map a header name to the NAME of an environment variable of mcp-config-service
-- holding its value. disabled_tools is kept by tool name, so a switch survives the server's
-- tool list being refreshed (or the tool vanishing and coming back).
CREATE TABLE mcp_servers (
    name                  text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,30}$' AND position('__' IN name) = 0),
    transport             text        NOT NULL CHECK (transport IN ('http', 'stdio')),
    url                   text        NOT NULL DEFAULT '',
    headers               jsonb       NOT NULL DEFAULT '{}'::jsonb,
    command               text        NOT NULL DEFAULT '',
    args                  jsonb       NOT NULL DEFAULT '[]'::jsonb,
    env                   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    enabled               boolean     NOT NULL DEFAULT true,
    disabled_tools        jsonb       NOT NULL DEFAULT '[]'::jsonb,
    poll_interval_seconds integer     NOT NULL DEFAULT 60 CHECK (poll_interval_seconds BETWEEN 1 AND 86400),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (transport <> 'http' OR url <> ''),
    CHECK (transport <> 'stdio' OR command <> '')
);
