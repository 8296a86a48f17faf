package io.convo.operate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools find a running convo run's registry through its run file, and only fill in what they lack. */
class RunFileTest {

    private static final String URL = "http://127.0.0.1:40123/apis/registry/v3";

    @TempDir
    Path dir;

    private Properties config(Path file, String... keysAndValues) {
        Properties p = new Properties();
        p.setProperty(RunFile.PATH.name(), file.toString());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private Path written() {
        Path file = dir.resolve("var/convo-run.properties");
        RunFile.write(file, config(file, "bootstrap.servers", "127.0.0.1:9092", "convo.serde", "registry",
                "convo.registry.url", URL, "convo.topics.prefix", "dev."));
        return file;
    }

    @Test
    void aToolWithoutSerdeSettingsTakesTheRunsRegistry() {
        Path file = written();

        Properties filled = RunFile.fillIn(config(file));

        assertThat(filled.getProperty("convo.serde")).isEqualTo("registry");
        assertThat(filled.getProperty("convo.registry.url")).isEqualTo(URL);
        assertThat(filled.getProperty("bootstrap.servers")).isEqualTo("127.0.0.1:9092");
        assertThat(filled.getProperty("convo.topics.prefix")).isEqualTo("dev.");
    }

    @Test
    void theToolsOwnSettingsWin() {
        Path file = written();

        Properties filled = RunFile.fillIn(config(file, "convo.serde", "single-object", "bootstrap.servers", "127.0.0.1:9092"));

        assertThat(filled.getProperty("convo.serde")).isEqualTo("single-object");
        assertThat(filled.getProperty("convo.registry.url")).isEqualTo(URL);
    }

    @Test
    void aRunOnAnotherBrokerIsIgnored() {
        Path file = written();

        Properties filled = RunFile.fillIn(config(file, "bootstrap.servers", "kafka:9092"));

        assertThat(filled.getProperty("convo.serde")).isNull();
        assertThat(filled.getProperty("convo.registry.url")).isNull();
    }

    @Test
    void aFileLeftByARunThatIsGoneIsIgnored() throws IOException {
        Path file = dir.resolve("stale.properties");
        Properties stale = new Properties();
        stale.setProperty(RunFile.PID, String.valueOf(Long.MAX_VALUE));
        stale.setProperty("convo.registry.url", URL);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            stale.store(w, null);
        }

        assertThat(RunFile.fillIn(config(file)).getProperty("convo.registry.url")).isNull();
    }

    @Test
    void theRunDeletesItsOwnFile() {
        Path file = written();

        RunFile.delete(file);

        assertThat(file).doesNotExist();
        assertThat(RunFile.fillIn(config(file)).getProperty("convo.serde")).isNull();
    }
}
