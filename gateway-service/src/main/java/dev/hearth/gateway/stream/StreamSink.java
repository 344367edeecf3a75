package dev.hearth.gateway.stream;

/** Where a stream's events go besides its local subscribers: the shared history (Redis). */
public interface StreamSink {

    /** A stream starts on this replica. */
    void opened(ChatStream stream);

    /** An event, in seq order, called under the stream's lock: must not block. */
    void appended(ChatStream stream, StreamEvent event);

    StreamSink NONE = new StreamSink() {
        @Override
        public void opened(ChatStream stream) {
        }

        @Override
        public void appended(ChatStream stream, StreamEvent event) {
        }
    };
}
