package io.convo.app;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a failed stream thread's static member out of the group at once. Kafka Streams replaces a failed thread
 * with one of a new index, hence a new {@code group.instance.id}; the old id stays in the group, holding its tasks,
 * until its session times out (10 s a failure, measured: a poison record's retries slowed from about 1 s to 11 s
 * each). Removing it, as Kafka Streams itself does when a thread is removed on purpose, lets the group hand the tasks
 * to the new thread now. A dynamic member needs none of this: it leaves the group as it closes.
 */
final class StaticMemberRelease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StaticMemberRelease.class);
    /** A stream thread's name ends with its index, which Kafka Streams also puts after the group.instance.id. */
    private static final Pattern THREAD_INDEX = Pattern.compile("-StreamThread-(\\d+)$");

    private final String groupId;
    private final String instanceId;
    private final Map<String, Object> adminConfig;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "convo-static-member-release");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param groupId    the application id (the consumer group)
     * @param instanceId the static member id the stream threads' ids start with
     */
    StaticMemberRelease(String groupId, String instanceId, Map<String, Object> adminConfig) {
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.adminConfig = adminConfig;
    }

    /** The member id of the stream thread named {@code threadName}, or null for a thread that is none. */
    String memberOf(String threadName) {
        Matcher m = THREAD_INDEX.matcher(threadName);
        return m.find() ? instanceId + "-" + m.group(1) : null;
    }

    /** Removes the member of the failing thread {@code threadName} from the group, in the background. */
    void threadFailed(String threadName) {
        String member = memberOf(threadName);
        if (member == null) {
            return;
        }
        executor.submit(() -> {
            try (Admin admin = Admin.create(adminConfig)) {
                admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions(
                        List.of(new MemberToRemove(member)))).all().get(30, TimeUnit.SECONDS);
                LOG.info("static member {} of the failed thread left the group: its tasks move now", member);
            } catch (Exception e) {
                // The session timeout then moves its tasks: slower, not wrong.
                LOG.warn("could not remove static member {} of the failed thread from group {}: {}", member, groupId,
                        e.toString());
            }
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
