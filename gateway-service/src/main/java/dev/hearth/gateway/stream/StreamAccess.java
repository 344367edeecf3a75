package dev.hearth.gateway.stream;

import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;

/**
 * Who may do what with a stream (PROTOCOL.md): its owner's connections may watch and cancel it; a
 * shared stream may be watched by anyone authenticated; an admin key may do both.
 */
public final class StreamAccess {

    private StreamAccess() {
    }

    public static void checkWatch(Caller caller, String streamId, String owner, boolean shared) {
        if (!(shared || caller.admin() || caller.userId().equals(owner))) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "stream " + streamId + " belongs to another user and is not shared");
        }
    }

    public static void checkCancel(Caller caller, String streamId, String owner) {
        if (!(caller.admin() || caller.userId().equals(owner))) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "only the user who started stream " + streamId + " may cancel it");
        }
    }
}
