package dev.hearth.wyoming;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;

/**
 * Splits a byte stream into {@link WyomingEvent}s with a {@link RecordParser}: a newline-delimited
 * header, then fixed-size data and payload sections. A header that is not a JSON object with a
 * {@code type}, or longer than the limit, is fatal (the stream cannot be re-synchronized); a data
 * section that is not JSON is reported and the stream goes on.
 */
public final class WyomingFrameParser implements Handler<Buffer> {

    /** What went wrong; {@code fatal} means the connection must close. */
    public record Problem(String code, String text, boolean fatal) {
    }

    private enum Section { HEADER, DATA, PAYLOAD }

    private final RecordParser parser;
    private final Handler<WyomingEvent> events;
    private final Handler<Problem> problems;
    private final int maxData;
    private Section section = Section.HEADER;
    private String type;
    private JsonObject data;
    private boolean badData;
    private int payloadLength;
    private long fed;
    private long consumed;
    private boolean failed;

    public WyomingFrameParser(int maxHeader, int maxData, Handler<WyomingEvent> events, Handler<Problem> problems) {
        this.events = events;
        this.problems = problems;
        this.maxData = maxData;
        this.parser = RecordParser.newDelimited("\n", this::record);
        this.parser.maxRecordSize(maxHeader);
    }

    @Override
    public void handle(Buffer buffer) {
        if (failed) {
            return;
        }
        fed += buffer.length();
        try {
            parser.handle(buffer);
        } catch (IllegalStateException tooLong) {
            fail(new Problem("bad-header", "header line longer than the limit", true));
        }
    }

    /** True when part of a frame has arrived and its rest has not. */
    public boolean midFrame() {
        return !failed && fed > consumed;
    }

    private void record(Buffer record) {
        if (failed) {
            return;
        }
        switch (section) {
            case HEADER -> header(record);
            case DATA -> data(record);
            case PAYLOAD -> {
                consumed += record.length();
                emit(record.getBytes());
            }
        }
    }

    private void header(Buffer line) {
        consumed += line.length() + 1;
        if (line.length() == 0 || (line.length() == 1 && line.getByte(0) == '\r')) {
            return; // blank lines between frames are harmless
        }
        JsonObject header;
        try {
            header = new JsonObject(line);
        } catch (DecodeException | ClassCastException e) {
            fail(new Problem("bad-header", "header is not a JSON object: " + preview(line), true));
            return;
        }
        Object typeValue = header.getValue("type");
        Object dataValue = header.getValue("data");
        Integer dataLength;
        Integer length;
        try {
            dataLength = header.getInteger("data_length");
            length = header.getInteger("payload_length");
        } catch (ClassCastException e) {
            fail(new Problem("bad-header", "data_length and payload_length must be integers", true));
            return;
        }
        if (!(typeValue instanceof String t) || t.isBlank()) {
            fail(new Problem("bad-header", "header has no type: " + preview(line), true));
            return;
        }
        if ((dataLength != null && (dataLength < 0 || dataLength > maxData))
                || (length != null && (length < 0 || length > maxData))) {
            fail(new Problem("bad-header", "data_length or payload_length out of range (0.." + maxData + ")", true));
            return;
        }
        type = t;
        badData = false;
        data = dataValue instanceof JsonObject object ? object.copy() : new JsonObject();
        payloadLength = length == null ? 0 : length;
        if (dataLength != null && dataLength > 0) {
            section = Section.DATA;
            parser.fixedSizeMode(dataLength);
        } else {
            afterData();
        }
    }

    private void data(Buffer bytes) {
        consumed += bytes.length();
        try {
            data.mergeIn(new JsonObject(bytes));
        } catch (DecodeException | ClassCastException e) {
            badData = true;
        }
        afterData();
    }

    private void afterData() {
        if (payloadLength > 0) {
            section = Section.PAYLOAD;
            parser.fixedSizeMode(payloadLength);
        } else {
            emit(null);
        }
    }

    private void emit(byte[] payload) {
        section = Section.HEADER;
        parser.delimitedMode("\n");
        if (badData) {
            problems.handle(new Problem("bad-data", "the data section of '" + type + "' is not a JSON object", false));
            return;
        }
        events.handle(new WyomingEvent(type, data, payload));
    }

    private void fail(Problem problem) {
        failed = true;
        problems.handle(problem);
    }

    private static String preview(Buffer line) {
        String text = line.toString(java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
