package tandem.proxy.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * What the admin commands share: where tandem's admin API is, its token, and one call to it. An
 * answer of 4xx is the API saying why not (its error and hint, exit 1); an unreachable API is an
 * error of the command (exit 2).
 */
final class AdminClient {

    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--admin", paramLabel = "URL", defaultValue = "${TANDEM_ADMIN:-http://127.0.0.1:9090}",
            description = "tandem's admin API (default: $TANDEM_ADMIN, else ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${TANDEM_ADMIN_TOKEN}",
            description = "The admin API's bearer token (default: $TANDEM_ADMIN_TOKEN).")
    String token;

    @Option(names = "--json", description = "Print the API's answer as JSON.")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The API's answer: its status and body. */
    record Answer(int status, JsonNode body) {

        boolean ok() {
            return status / 100 == 2;
        }
    }

    Answer call(String method, String path, String body) {
        URI uri = URI.create(admin.replaceAll("/+$", "") + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Answer(response.statusCode(), text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text));
        } catch (ConnectException e) {
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "cannot reach tandem's admin API at " + admin, null,
                    "is tandem running? name its admin address with --admin URL (admin.listen in its configuration)");
        } catch (IOException e) {
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "tandem's admin API at " + admin + " failed: " + e, null,
                    "check --admin URL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException(SqlState.QUERY_CANCELED, "interrupted");
        }
    }

    /** Prints the answer (JSON with --json, else {@code text}), or the API's error and hint; the exit code. */
    int print(Answer answer, java.util.function.Function<JsonNode, String> text) {
        java.io.PrintWriter out = command.commandLine().getOut();
        java.io.PrintWriter err = command.commandLine().getErr();
        if (!answer.ok()) {
            err.println("tandem: " + answer.body().path("error").asText("the admin API answered " + answer.status()));
            if (answer.body().hasNonNull("hint")) {
                err.println("hint: " + answer.body().get("hint").asText());
            }
            err.flush();
            return answer.status() == 401 ? 2 : 1;
        }
        out.println(json ? answer.body().toPrettyString() : text.apply(answer.body()));
        out.flush();
        return 0;
    }
}
