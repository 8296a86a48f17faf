package io.convo.operate;

import io.convo.model.json.CommandLine;
import io.convo.model.json.JsonLineException;
import io.convo.model.json.JsonLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;

/**
 * Reads command JSON lines as `simulate` and `produce` take them: blank lines and lines starting with {@code #} are
 * skipped; a malformed line is reported on {@code errors} with its line number and skipped.
 */
final class CommandLineReader {

    private final BufferedReader lines;
    private final Writer errors;
    private long lineNumber;
    private long malformed;

    CommandLineReader(Reader input, Writer errors) {
        this.lines = input instanceof BufferedReader b ? b : new BufferedReader(input, 1 << 16);
        this.errors = errors;
    }

    /** The next well-formed command, or null at the end of the input. */
    CommandLine next() throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            try {
                return JsonLines.parseCommand(text, lineNumber);
            } catch (JsonLineException e) {
                malformed++;
                errors.write(e.getMessage());
                errors.write('\n');
                errors.flush(); // rare, and best seen next to the output it concerns
            }
        }
        return null;
    }

    /** The number of the line read last. */
    long lineNumber() {
        return lineNumber;
    }

    long malformed() {
        return malformed;
    }
}
