package io.convo.connectors;

/** One POST endpoint of the connector's HTTP server: a JSON body in, a {@link JsonReply} out. */
interface JsonEndpoint {

    /**
     * @throws InvalidRequestException for a body it cannot accept (answered 400)
     * @throws InterruptedException    when the server is stopping
     */
    JsonReply handle(byte[] body) throws InterruptedException;
}
