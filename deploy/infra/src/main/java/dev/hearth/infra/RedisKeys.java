package dev.hearth.infra;

import java.io.IOException;
import java.util.List;

/** Deletes every key under a prefix, with SCAN so a big keyspace never blocks the server. */
public final class RedisKeys {

    private RedisKeys() {
    }

    /** @return how many keys were deleted */
    public static long deleteByPrefix(RedisUrl url, String prefix) throws IOException {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("refusing to delete every key: empty prefix");
        }
        long deleted = 0;
        try (RespClient redis = RespClient.connect(url)) {
            String cursor = "0";
            do {
                List<?> reply = (List<?>) redis.call("SCAN", cursor, "MATCH", globEscape(prefix) + "*", "COUNT", "500");
                cursor = (String) reply.get(0);
                List<?> keys = (List<?>) reply.get(1);
                if (!keys.isEmpty()) {
                    String[] command = new String[keys.size() + 1];
                    command[0] = "UNLINK";
                    for (int i = 0; i < keys.size(); i++) {
                        command[i + 1] = (String) keys.get(i);
                    }
                    deleted += (Long) redis.call(command);
                }
            } while (!"0".equals(cursor));
        }
        return deleted;
    }

    static String globEscape(String literal) {
        return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
