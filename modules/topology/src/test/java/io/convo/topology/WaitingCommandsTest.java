package io.convo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The waiting entries' sequence numbers sort, as key parts, in the order the commands came. */
class WaitingCommandsTest {

    @Test
    void sequencesAreNineteenDigitsZeroPaddedSoThatTheyAlsoSortAsText() {
        assertThat(WaitingCommands.sequence(0)).isEqualTo("0000000000000000000");
        assertThat(WaitingCommands.sequence(42)).isEqualTo(String.format("%019d", 42));
        assertThat(WaitingCommands.sequence(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
        List<String> inOrder = List.of(WaitingCommands.sequence(9), WaitingCommands.sequence(10),
                WaitingCommands.sequence(1_000_000_000_000L));
        assertThat(inOrder).isSorted();
    }
}
