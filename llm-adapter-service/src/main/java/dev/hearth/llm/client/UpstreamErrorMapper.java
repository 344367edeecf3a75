package dev.hearth.llm.client;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Turns every 3xx/4xx/5xx answer into an {@link UpstreamHttpException} holding the status,
 * the body and the retry hints. Unlike the default mapper (4xx/5xx only) it also claims 3xx:
 * we never follow redirects on a POST, and without this a redirect page would be streamed
 * as if it were SSE data. Error bodies are buffered by the client before mappers run, so
 * reading one here does not block. (Status 0 is how the client reports a failed connection:
 * that is not an answer, and is left to the transport error path.)
 */
public class UpstreamErrorMapper implements ResponseExceptionMapper<UpstreamHttpException> {

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status >= 300;
    }

    @Override
    public UpstreamHttpException toThrowable(Response response) {
        String body = "";
        try {
            if (response.hasEntity()) {
                body = response.readEntity(String.class);
            }
        } catch (RuntimeException unreadable) {
            // the status alone still says what happened
        }
        return new UpstreamHttpException(response.getStatus(), body,
                response.getHeaderString("Retry-After"), response.getHeaderString("retry-after-ms"));
    }

    @Override
    public int getPriority() {
        return 0; // before the default mapper, which would wrap everything in a WebApplicationException
    }
}
