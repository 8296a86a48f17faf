package io.convo.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code convo --version}: the Maven version, written into a resource at build time so it never drifts. */
final class VersionProvider implements IVersionProvider {

    static final String RESOURCE = "/convo-version.properties";

    @Override
    public String[] getVersion() throws IOException {
        Properties version = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                version.load(in);
            }
        }
        return new String[] {"convo " + version.getProperty("version", "(unknown version)")};
    }
}
