package dev.hearth.config.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.hearth.config.repository.ConfigWriteRefusedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the REST API, ours or the framework's, as an RFC 9457 problem with a stable code. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    /** A write the stored configuration does not allow; nothing of it was written. */
    @ServerExceptionMapper
    public Response refused(ConfigWriteRefusedException e) {
        return (switch (e.reason()) {
            case NOT_FOUND -> Problem.notFound(e.getMessage());
            case ALREADY_EXISTS -> new Problem(409, Problem.ALREADY_EXISTS, e.getMessage());
            case IN_USE -> new Problem(409, Problem.IN_USE, e.getMessage());
            case DEFAULT_REQUIRED -> new Problem(409, Problem.CONFLICT, e.getMessage());
            case UNKNOWN_PROVIDER -> new Problem(422, Problem.UNKNOWN_PROVIDER, e.getMessage());
        }).toResponse();
    }

    @ServerExceptionMapper
    public Response notJson(JsonParseException e) {
        return Problem.invalidRequest("the body is not valid JSON").toResponse();
    }

    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e) {
        return wrongType(e);
    }

    @ServerExceptionMapper
    public Response wrongType(JsonMappingException e) {
        // A body cut short inside an array or object reaches here as a "mismatch" at end of input.
        if (e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input")) {
            return Problem.invalidRequest("the body is not valid JSON: it ends too early").toResponse();
        }
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return Problem.invalidRequest(field.isEmpty()
                ? "the body is not a JSON object of the expected shape"
                : "'" + field + "' has the wrong type").toResponse();
    }

    /** Routing and content negotiation (404 no such path, 405, 415...) and anything else thrown with a status. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        // The JSON reader reports a body that does not parse as a plain 400 around Jackson's error.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException notJson) {
                return notJson(notJson);
            }
            if (cause instanceof JsonMappingException wrongType) {
                return wrongType(wrongType);
            }
        }
        if (status >= 500) {
            return unexpected(e);
        }
        Response.ResponseBuilder response = new Problem(status, Problem.codeFor(status), e.getMessage()).toResponseBuilder();
        // 405 must say what is allowed.
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Allow")) {
                values.forEach(v -> response.header(name, v));
            }
        });
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("admin API request failed", e);
        // The cause stays in the log: it may name tables, hosts or worse.
        return new Problem(500, Problem.INTERNAL, "internal error; see the mcp-config-service log").toResponse();
    }
}
