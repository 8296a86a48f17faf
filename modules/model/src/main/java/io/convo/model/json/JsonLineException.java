package io.convo.model.json;

/**
 * A JSON line that does not describe a valid record, with the line number and the offending field, e.g.
 * {@code line 7: field media[0].size: expected a number, got "big"}.
 */
public final class JsonLineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long lineNumber;
    private final String field;
    private final String problem;

    public JsonLineException(long lineNumber, String field, String problem) {
        this(lineNumber, field, problem, null);
    }

    public JsonLineException(long lineNumber, String field, String problem, Throwable cause) {
        super("line " + lineNumber + ": " + (field == null ? "" : "field " + field + ": ") + problem, cause);
        this.lineNumber = lineNumber;
        this.field = field;
        this.problem = problem;
    }

    /** The line's number as the caller counted it (1 for the first line, by convention). */
    public long lineNumber() {
        return lineNumber;
    }

    /** The path of the offending field, e.g. {@code media[1].size} or {@code type}; null when the whole line is at fault. */
    public String field() {
        return field;
    }

    /** What is wrong, without the line and field prefix. */
    public String problem() {
        return problem;
    }
}
