package dev.hearth.router.chain;

import dev.hearth.proto.v1.Handover;
import dev.hearth.proto.v1.ProfileTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened along the chain during one turn (all its tool rounds): provider calls made, the
 * target in use, and every handover to the next target. Read by the orchestrator for the terminal
 * event and the stored message.
 */
public final class ChainTrace {

    private final List<Handover> handovers = new ArrayList<>();
    private int attempts;
    private ProfileTarget current;

    public synchronized void attempt(ProfileTarget target) {
        attempts++;
        current = target;
    }

    public synchronized void handover(Handover handover) {
        handovers.add(handover);
    }

    public synchronized int attempts() {
        return attempts;
    }

    /** The target of the latest attempt, or null before the first. */
    public synchronized ProfileTarget current() {
        return current;
    }

    public synchronized List<Handover> handovers() {
        return List.copyOf(handovers);
    }
}
