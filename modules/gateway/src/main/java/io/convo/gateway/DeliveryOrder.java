package io.convo.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order of one conversation's messages on one connection once it asked for a catch-up: live deliveries that
 * arrive while the catch-up waits are held, then sent after it, and a live delivery of a message the catch-up
 * already sent is skipped. Confined to the downstream dispatcher thread.
 */
final class DeliveryOrder {

    /** A live delivery frame and its message index. */
    record Held(long index, String frame) {
    }

    private final List<Held> held = new ArrayList<>();
    private int holds;
    private long sentThrough = -1;

    /** A catch-up started: hold live deliveries until {@link #release}. */
    void hold() {
        holds++;
    }

    /**
     * Decides about a live delivery: null to drop it (its message was sent by a catch-up), the frame to send now,
     * or null after holding it.
     */
    String live(long index, String frame) {
        if (index <= sentThrough) {
            return null;
        }
        if (holds > 0) {
            held.add(new Held(index, frame));
            return null;
        }
        sentThrough = index;
        return frame;
    }

    /**
     * The catch-up sent everything through {@code caughtUpThrough}: returns the held deliveries to send now, in
     * index order, without those the catch-up covered.
     */
    List<String> release(long caughtUpThrough) {
        holds = Math.max(0, holds - 1);
        sentThrough = Math.max(sentThrough, caughtUpThrough);
        if (holds > 0) {
            return List.of();
        }
        held.sort(Comparator.comparingLong(Held::index));
        List<String> out = new ArrayList<>();
        for (Held h : held) {
            if (h.index() > sentThrough) {
                out.add(h.frame());
                sentThrough = h.index();
            }
        }
        held.clear();
        return out;
    }
}
