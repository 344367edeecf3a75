package dev.hearth.bench;

/**
 * How the fake upstream paces one answer. It travels as the chat text ({@code bench tokens=64
 * interval=20 first=20}), the one thing every path (gateway → router → llm-adapter → fake, or the
 * benchmark's own HTTP client → fake) carries unchanged to the upstream.
 *
 * <p>Every token the fake sends is {@code <index>@<send nanoTime>} followed by a space; token 0
 * also carries {@code @<nanoTime the request arrived>}. The fake and the clients share this JVM's
 * {@link System#nanoTime()}, so a client knows exactly when each token left the upstream.
 */
record Pacing(int tokens, int intervalMs, int firstTokenMs) {

    String text() {
        return "bench tokens=" + tokens + " interval=" + intervalMs + " first=" + firstTokenMs;
    }

    /** The pacing the chat text asks for; {@code fallback} for anything it does not say. */
    static Pacing parse(String text, Pacing fallback) {
        int tokens = fallback.tokens;
        int interval = fallback.intervalMs;
        int first = fallback.firstTokenMs;
        if (text != null) {
            for (String part : text.trim().split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                try {
                    int value = Integer.parseInt(part.substring(eq + 1));
                    switch (part.substring(0, eq)) {
                        case "tokens" -> tokens = Math.max(1, value);
                        case "interval" -> interval = Math.max(0, value);
                        case "first" -> first = Math.max(0, value);
                        default -> { }
                    }
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            }
        }
        return new Pacing(tokens, interval, first);
    }

    static String token(int index, long sentNanos, long arrivedNanos) {
        return index == 0 ? "0@" + sentNanos + "@" + arrivedNanos + " " : index + "@" + sentNanos + " ";
    }

    /** Receives the tokens found in a piece of answer text, in order. */
    interface TokenSink {
        void token(int index, long sentNanos, long arrivedNanos);

        /** Text that is not a token of ours. */
        void garbage(String text);
    }

    /** Reads every {@code index@sent[@arrived]} of {@code text} (normally exactly one). */
    static void readTokens(String text, TokenSink sink) {
        int start = 0;
        int length = text.length();
        while (start < length) {
            int end = text.indexOf(' ', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                String token = text.substring(start, end);
                int at = token.indexOf('@');
                try {
                    if (at <= 0) {
                        throw new NumberFormatException();
                    }
                    int index = Integer.parseInt(token, 0, at, 10);
                    int at2 = token.indexOf('@', at + 1);
                    long sent = Long.parseLong(token, at + 1, at2 < 0 ? token.length() : at2, 10);
                    long arrived = at2 < 0 ? Long.MIN_VALUE : Long.parseLong(token, at2 + 1, token.length(), 10);
                    sink.token(index, sent, arrived);
                } catch (NumberFormatException e) {
                    sink.garbage(token);
                }
            }
            start = end + 1;
        }
    }
}
