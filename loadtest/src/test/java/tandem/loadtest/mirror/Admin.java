package tandem.loadtest.mirror;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** tandem's admin API as the tests read it: {@code GET /api/status} and {@code GET /metrics}. */
record Admin(int port) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    JsonNode status() throws IOException, InterruptedException {
        return JSON.readTree(get("/api/status"));
    }

    /** {@code mirror.repair.backlogRows}: the repair log as the drainer last counted it. */
    long backlogRows() throws IOException, InterruptedException {
        return status().path("mirror").path("repair").path("backlogRows").asLong(-1);
    }

    String breaker() throws IOException, InterruptedException {
        return status().path("mirror").path("repair").path("breaker").asText();
    }

    String metrics() throws IOException, InterruptedException {
        return get("/metrics");
    }

    /** The value of one sample of {@code /metrics}, e.g. {@code tandem_mirror_total{outcome="queued"}}; -1 if absent. */
    double metric(String sample) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** POSTs {@code body} (JSON, or nothing) to {@code path}; the answer, which must be {@code expected}. */
    JsonNode post(String path, String body, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException("POST " + path + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The latest verification's report, or null before the first. */
    JsonNode verifyLatest() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/verify/latest")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 404 ? null : JSON.readTree(response.body());
    }

    JsonNode events() throws IOException, InterruptedException {
        return JSON.readTree(get("/api/events?limit=1000"));
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * Polls {@code condition} every 200 ms until it holds; fails after {@code deadline} with what
     * {@code state} says then. A condition that throws counts as not holding yet.
     *
     * @return how long it took
     */
    static Duration await(String what, Duration deadline, Callable<Boolean> condition, Callable<String> state)
            throws Exception {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.call()) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > end) {
                String now;
                try {
                    now = state.call();
                } catch (Exception e) {
                    now = "(state unreadable: " + e + ")";
                }
                AssertionError error = new AssertionError("not " + what + " within " + deadline.toSeconds() + " s; "
                        + now);
                if (last != null) {
                    error.addSuppressed(last);
                }
                throw error;
            }
            Thread.sleep(200);
        }
    }
}
