package dev.hearth.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The fields of a hearth.v1 server message the benchmark looks at, read with a streaming parser
 * (cheap: the benchmark shares two cores with the whole suite).
 */
final class Frame {

    private static final JsonFactory JSON = new JsonFactory();

    String requestId;
    String streamId;
    long seq = -1;
    String status;
    String chunkType;
    /** {@code chunk.data} when it is a string (text chunks). */
    String chunkText;
    String finishReason;
    String errorCode;
    String errorMessage;
    String raw;

    boolean isStreamEvent() {
        return streamId != null && seq >= 0;
    }

    static Frame parse(String text) {
        Frame frame = new Frame();
        frame.raw = text;
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                frame.status = "unparseable";
                return frame;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "request_id" -> frame.requestId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "stream_id" -> frame.streamId = parser.getText();
                    case "seq" -> frame.seq = parser.getLongValue();
                    case "status" -> frame.status = parser.getText();
                    case "finish_reason" -> frame.finishReason = parser.getText();
                    case "chunk" -> readChunk(parser, frame);
                    case "error" -> readError(parser, frame);
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            frame.status = "unparseable";
        }
        return frame;
    }

    private static void readChunk(JsonParser parser, Frame frame) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("type".equals(field)) {
                frame.chunkType = parser.getText();
            } else if ("data".equals(field) && value == JsonToken.VALUE_STRING) {
                frame.chunkText = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
    }

    private static void readError(JsonParser parser, Frame frame) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if ("code".equals(field)) {
                frame.errorCode = parser.getText();
            } else if ("message".equals(field)) {
                frame.errorMessage = parser.getText();
            } else if ("stream_id".equals(field)) {
                frame.streamId = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
    }
}
