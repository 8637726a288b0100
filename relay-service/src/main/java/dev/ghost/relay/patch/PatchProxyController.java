package dev.ghost.relay.patch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.security.Callers;

/**
 * The runner's whole patch API under {@code /relay}: the same paths, bodies and answers, served by
 * whichever runner should serve them. Roles are checked here (so a refused call costs no runner a
 * thing) and again by the runner, which sees the caller's own credential.
 */
@RestController
@RequestMapping("/relay/patches")
public class PatchProxyController {

    /** Which runner answered; "redis" when the relay answered from the record its runner left. */
    public static final String RUNNER_HEADER = "Ghost-Runner";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._()\\-]{1,128}");
    private static final List<String> PASSED_BACK = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.RETRY_AFTER,
            HttpHeaders.CACHE_CONTROL, HttpHeaders.AGE, FinishedSubmissions.DEDUP_HEADER);

    private final RunnerGateway runners;
    private final PatchRecords records;
    private final FinishedSubmissions finished;

    public PatchProxyController(RunnerGateway runners, PatchRecords records, FinishedSubmissions finished) {
        this.runners = runners;
        this.records = records;
        this.finished = finished;
    }

    @PostMapping
    @PreAuthorize("hasRole('SUBMIT')")
    public ResponseEntity<byte[]> submit(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        byte[] patch = body == null ? new byte[0] : body;
        Optional<RunnerGateway.Upstream> known = finished.find(patch);
        if (known.isPresent()) {
            return relay(known.get());
        }
        RunnerGateway.Upstream answer = runners.submit(patch, caller(request));
        finished.offer(patch, answer);
        return relay(answer);
    }

    @GetMapping
    @PreAuthorize("hasRole('READ')")
    public ResponseEntity<byte[]> list(@RequestParam(required = false) String status, @RequestParam(required = false) String limit,
            HttpServletRequest request) {
        URI uri = UriComponentsBuilder.fromPath("/patches")
                .queryParamIfPresent("status", Optional.ofNullable(status))
                .queryParamIfPresent("limit", Optional.ofNullable(limit))
                .encode().build().toUri();
        return relay(runners.balanced(HttpMethod.GET, uri, caller(request), null, null));
    }

    /** From the runner holding the patch; if it is out of rotation, from the record it left in Redis. */
    @GetMapping("/{id}")
    @PreAuthorize("hasRole('READ')")
    public ResponseEntity<?> get(@PathVariable String id, HttpServletRequest request) {
        ObjectNode record = record(id);
        Optional<ServiceInstance> owner = runners.inRotation(record.path("runner").asString(null));
        if (owner.isPresent()) {
            try {
                RunnerGateway.Upstream answer = runners.at(owner.get(), HttpMethod.GET, path(id, ""), caller(request));
                if (answer.status() != 503) {
                    return relay(answer);
                }
            } catch (GhostProblemException e) {
                // it went away between the rotation check and the call: answer for it
            }
        }
        return ResponseEntity.ok().header(RUNNER_HEADER, "redis").contentType(MediaType.APPLICATION_JSON).body(records.asLeft(record));
    }

    @GetMapping(value = "/{id}/summary", produces = {"text/markdown", "text/plain", "*/*"})
    @PreAuthorize("hasRole('READ')")
    public ResponseEntity<byte[]> summary(@PathVariable String id, HttpServletRequest request) {
        return relay(toOwnerOrAny(id, HttpMethod.GET, path(id, "/summary"), request));
    }

    @PostMapping("/{id}/cancel")
    @PreAuthorize("hasRole('SUBMIT')")
    public ResponseEntity<byte[]> cancel(@PathVariable String id, HttpServletRequest request) {
        return relay(toOwnerOrAny(id, HttpMethod.POST, path(id, "/cancel"), request));
    }

    /**
     * The log lives on the disk of the runner that ran the patch: streamed from there as it comes,
     * never held whole in the relay. Copied on the request's own thread (not a StreamingResponseBody),
     * since an async re-dispatch would meet the security filters again without the caller's bearer token.
     */
    @GetMapping("/{id}/log")
    @PreAuthorize("hasRole('READ')")
    public void log(@PathVariable String id, @RequestParam(defaultValue = "false") boolean follow, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        ObjectNode record = record(id);
        String runner = record.path("runner").asString(null);
        ServiceInstance owner = runners.inRotation(runner).orElseThrow(() -> new GhostProblemException(HttpStatus.SERVICE_UNAVAILABLE,
                "log-runner-unavailable", "Log unavailable",
                "The log of patch '" + id + "' is kept by runner " + runner + ", which is not running now; the record "
                        + "(GET /relay/patches/" + id + ") still has each step's output tail.")
                .with("runner", runner));
        URI uri = UriComponentsBuilder.fromUri(path(id, "/log")).queryParam("follow", follow).build().toUri();
        try (ClientHttpResponse upstream = runners.openLog(owner, uri, caller(request)); InputStream in = upstream.getBody()) {
            response.setStatus(upstream.getStatusCode().value());
            passedBack(upstream.getHeaders()).forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            response.setHeader(RUNNER_HEADER, owner.getInstanceId());
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[16384];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush(); // a followed log shows lines as the runner writes them
            }
        }
    }

    private RunnerGateway.Upstream toOwnerOrAny(String id, HttpMethod method, URI uri, HttpServletRequest request) {
        ObjectNode record = record(id);
        Optional<ServiceInstance> owner = runners.inRotation(record.path("runner").asString(null));
        if (owner.isPresent()) {
            try {
                RunnerGateway.Upstream answer = runners.at(owner.get(), method, uri, caller(request));
                if (answer.status() != 503) {
                    return answer;
                }
            } catch (GhostProblemException e) {
                // gone since the rotation check: any runner can answer from the shared record
            }
        }
        return runners.balanced(method, uri, caller(request), null, null);
    }

    private ObjectNode record(String id) {
        if (!ID.matcher(id).matches()) {
            throw notFound(id);
        }
        return records.find(id).orElseThrow(() -> notFound(id));
    }

    private static GhostProblemException notFound(String id) {
        return new GhostProblemException(HttpStatus.NOT_FOUND, "patch-not-found", "No such patch",
                "No patch '" + id + "' is known (records are kept for a limited time).");
    }

    private static URI path(String id, String suffix) {
        return URI.create("/patches/" + id + suffix);
    }

    /** The authenticated caller (bearer token or session, verified here), as the runner will see it. */
    static RunnerGateway.Caller caller(HttpServletRequest request) {
        return new RunnerGateway.Caller(Callers.current().getPrincipal());
    }

    /** The runner's answer as the client's: status, body and the headers that mean something to it. */
    public static ResponseEntity<byte[]> relay(RunnerGateway.Upstream upstream) {
        HttpHeaders headers = passedBack(upstream.headers());
        String location = upstream.headers().getFirst(HttpHeaders.LOCATION);
        if (location != null && location.startsWith("/patches")) {
            headers.set(HttpHeaders.LOCATION, "/relay" + location);
        }
        if (upstream.runner() != null) {
            headers.set(RUNNER_HEADER, upstream.runner());
        }
        return ResponseEntity.status(upstream.status()).headers(headers).body(upstream.body());
    }

    private static HttpHeaders passedBack(HttpHeaders from) {
        HttpHeaders headers = new HttpHeaders();
        for (String name : PASSED_BACK) {
            List<String> values = from.get(name);
            if (values != null) {
                headers.put(name, values);
            }
        }
        return headers;
    }
}
