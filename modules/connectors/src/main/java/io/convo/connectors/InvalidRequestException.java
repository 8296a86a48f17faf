package io.convo.connectors;

/** A request body the connector's HTTP endpoints cannot accept: answered 400 with the field and the problem. */
final class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /** @param field the offending field's path, e.g. {@code media[0].size}, or null when the whole body is at fault */
    InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
