package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticMemberReleaseTest {

    private final StaticMemberRelease release = new StaticMemberRelease("convo", "convo-host-1a2b3c4d", Map.of());

    @Test
    void aFailedStreamThreadsMemberIsTheInstanceIdAndTheThreadsIndex() {
        assertThat(release.memberOf("convo-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-StreamThread-2"))
                .isEqualTo("convo-host-1a2b3c4d-2");
        assertThat(release.memberOf("convo-0f1e-StreamThread-12")).isEqualTo("convo-host-1a2b3c4d-12");
    }

    @Test
    void aThreadThatIsNoStreamThreadHasNoMember() {
        assertThat(release.memberOf("main")).isNull();
        assertThat(release.memberOf("convo-GlobalStreamThread")).isNull();
        release.threadFailed("main"); // nothing to remove, nothing submitted
        release.close();
    }
}
