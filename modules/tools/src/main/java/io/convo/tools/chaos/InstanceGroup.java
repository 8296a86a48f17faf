package io.convo.tools.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The convo processes of a chaos run and what is done to them: killed with SIGKILL and started again a little later,
 * leaving gracefully (SIGTERM) and coming back, one joining late. An instance that is down or on its way back is never
 * picked again before it has started, so no instance ever runs twice.
 */
final class InstanceGroup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstanceGroup.class);
    private static final Duration AWAY_AFTER_LEAVING = Duration.ofSeconds(3);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);

    private final List<ConvoInstance> instances;
    private final Random random;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final Set<ConvoInstance> started = ConcurrentHashMap.newKeySet();
    private final Set<ConvoInstance> away = ConcurrentHashMap.newKeySet();
    private final List<Long> recoveryMillis = new CopyOnWriteArrayList<>();
    private final List<Long> restartMillis = new CopyOnWriteArrayList<>();
    private final AtomicInteger leaves = new AtomicInteger();
    private int kills;
    private int joins;

    private InstanceGroup(List<ConvoInstance> instances, Random random) {
        this.instances = List.copyOf(instances);
        this.random = random;
    }

    /**
     * Starts the instances, all but the last one when {@code oneJoinsLater}: the first alone until it runs, since it
     * creates the topics, then the others.
     */
    static InstanceGroup start(List<ConvoInstance> instances, Random random, boolean oneJoinsLater)
            throws InterruptedException {
        InstanceGroup group = new InstanceGroup(instances, random);
        try {
            ConvoInstance first = instances.get(0);
            group.start(first);
            if (first.awaitRunning(0, Duration.ofMinutes(2)).isEmpty()) {
                throw new IllegalStateException(first.name() + " did not start (see its instance.log)");
            }
            int upTo = oneJoinsLater ? instances.size() - 1 : instances.size();
            instances.subList(1, upTo).forEach(group::start);
            return group;
        } catch (RuntimeException | InterruptedException e) {
            group.close();
            throw e;
        }
    }

    /** Scale-out: the instance held back at the start joins the running group. */
    void joinLate() {
        ConvoInstance late = instances.get(instances.size() - 1);
        if (started.contains(late)) {
            throw new IllegalStateException(late.name() + " is running already");
        }
        log.info("{} joins the group", late.name());
        start(late);
        joins++;
    }

    /** SIGKILL to one running instance, started again 1 to 3 s later; its recovery is timed to RUNNING. */
    Optional<String> killOne() {
        return killOne(Duration.ofSeconds(1 + random.nextInt(3)));
    }

    /**
     * SIGKILL to one running instance, started again {@code downFor} later: longer than the session timeout, the
     * others take its tasks over meanwhile, as if it never came back.
     */
    Optional<String> killOne(Duration downFor) {
        Optional<ConvoInstance> victim = pickRunning();
        victim.ifPresent(v -> {
            kills++;
            long killedAt = System.nanoTime();
            v.kill();
            scheduler.schedule(() -> restartAndTime(v, killedAt), downFor.toMillis(), TimeUnit.MILLISECONDS);
        });
        return victim.map(ConvoInstance::name);
    }

    /** One running instance leaves the group with SIGTERM (commits, leaves, exits) and comes back a little later. */
    Optional<String> leaveOne() {
        Optional<ConvoInstance> leaving = pickRunning();
        leaving.ifPresent(l -> scheduler.submit(() -> {
            l.stop();
            leaves.incrementAndGet();
            log.info("{} left the group; back in {} s", l.name(), AWAY_AFTER_LEAVING.toSeconds());
            Thread.sleep(AWAY_AFTER_LEAVING.toMillis());
            l.start();
            away.remove(l);
            return null;
        }));
        return leaving.map(ConvoInstance::name);
    }

    /** Waits until every instance sent away has been started again. */
    void awaitAllBack(Duration timeout) throws InterruptedException {
        scheduler.shutdown();
        if (!scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("instances not back within " + timeout + ": " + away);
        }
    }

    /** Every move to REBALANCING any instance logged. */
    long rebalances() {
        return instances.stream().flatMap(i -> i.transitions().stream()).filter(t -> t.to().equals("REBALANCING"))
                .count();
    }

    int kills() {
        return kills;
    }

    int joins() {
        return joins;
    }

    int leaves() {
        return leaves.get();
    }

    List<Long> recoveryMillis() {
        return List.copyOf(recoveryMillis);
    }

    /** From each restart after a kill to the restarted process's RUNNING. */
    List<Long> restartMillis() {
        return List.copyOf(restartMillis);
    }

    /** SIGTERM to all: the application stops with everything committed. */
    void stopAll() {
        instances.forEach(ConvoInstance::stop);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        instances.forEach(ConvoInstance::kill);
    }

    private void start(ConvoInstance instance) {
        instance.start();
        started.add(instance);
    }

    private Optional<ConvoInstance> pickRunning() {
        List<ConvoInstance> candidates = new ArrayList<>();
        for (ConvoInstance i : instances) {
            if (started.contains(i) && !away.contains(i)) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        ConvoInstance picked = candidates.get(random.nextInt(candidates.size()));
        away.add(picked);
        return Optional.of(picked);
    }

    private Void restartAndTime(ConvoInstance victim, long killedAt) throws InterruptedException {
        int before = victim.transitions().size();
        long startedAt = System.nanoTime();
        victim.start();
        try {
            Optional<ConvoInstance.Transition> running = victim.awaitRunning(before, RECOVERY_TIMEOUT);
            running.ifPresentOrElse(r -> {
                long millis = (r.nanos() - killedAt) / 1_000_000;
                long sinceStart = (r.nanos() - startedAt) / 1_000_000;
                log.info("{} RUNNING again {} ms after its kill, {} ms after its restart", victim.name(), millis,
                        sinceStart);
                recoveryMillis.add(millis);
                restartMillis.add(sinceStart);
            }, () -> log.warn("{} did not report RUNNING within {} of its restart", victim.name(), RECOVERY_TIMEOUT));
            return null;
        } finally {
            away.remove(victim);
        }
    }
}
