package io.convo.rules;

import io.convo.internal.DeliverySummary;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import java.util.Map;

/**
 * Folds receipts into a message's delivery summary: each recipient's latest status. Receipts may arrive out of
 * order, so a status never replaces a later one (read after delivered after sent; failed and undelivered end a
 * delivery but do not undo a read).
 */
public final class DeliverySummaries {

    private DeliverySummaries() {
    }

    /** Applies the receipt in place; false when it changes nothing. */
    public static boolean apply(DeliverySummary summary, DeliveryReceipt receipt) {
        Map<String, DeliveryStatus> statuses = summary.getStatuses();
        DeliveryStatus current = statuses.get(receipt.getParticipantSid());
        if (current != null && rank(current) >= rank(receipt.getStatus())) {
            return false;
        }
        statuses.put(receipt.getParticipantSid(), receipt.getStatus());
        return true;
    }

    public static int count(DeliverySummary summary, DeliveryStatus status) {
        int n = 0;
        for (DeliveryStatus s : summary.getStatuses().values()) {
            if (s == status) {
                n++;
            }
        }
        return n;
    }

    private static int rank(DeliveryStatus status) {
        return switch (status) {
            case sent -> 1;
            case delivered, failed, undelivered -> 2;
            case read -> 3;
        };
    }
}
