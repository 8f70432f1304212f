package dev.k3sbox.cli.training;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.image.ImageCatalog;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker daemon just real enough for class-data training: it answers, on a Unix socket, the
 * Engine API requests a cold {@code up} makes, so that the training runs the real command, through
 * the same docker-java transport, JSON reading and lifecycle code as a user's {@code up}, and the
 * archive holds what that loads. Its server container "starts" by listening on the API port with a
 * socket that takes a TLS ClientHello and hangs up (so {@code up}'s boot probe runs its handshake),
 * then "dies" a second later, so that {@code up} also reads its log and rolls back. Nothing is run.
 */
final class TrainingDocker implements Closeable {
  private static final Pattern CONTAINER = Pattern.compile("^/containers/([^/]+)(/[a-z]+)?$");
  private static final Pattern VOLUME = Pattern.compile("^/volumes/([^/]+)$");
  private static final Pattern IMAGE = Pattern.compile("^/images/(.+)/json$");
  private static final String ID = "c0ffee".repeat(10) + "c0ff";

  private final ServerSocketChannel socket;
  private final int apiPort;
  private final Map<String, String> containerLabels = new ConcurrentHashMap<>();
  private volatile String containerName;
  private volatile Instant startedAt;
  private volatile TrainingApiServer api;

  private TrainingDocker(ServerSocketChannel socket, int apiPort) {
    this.socket = socket;
    this.apiPort = apiPort;
  }

  /** Serves the Engine API at {@code path} on daemon threads, until closed. */
  static TrainingDocker serve(Path path, int apiPort) throws IOException {
    ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    socket.bind(UnixDomainSocketAddress.of(path));
    TrainingDocker docker = new TrainingDocker(socket, apiPort);
    daemon("training-docker", docker::accept);
    return docker;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    TrainingApiServer serving = api;
    if (serving != null) {
      serving.close();
    }
  }

  private void accept() {
    try {
      while (true) {
        SocketChannel connection = socket.accept();
        daemon("training-docker-connection", () -> converse(connection));
      }
    } catch (IOException e) {
      // closed
    }
  }

  /** One keep-alive connection: requests answered in turn until the client hangs up. */
  private void converse(SocketChannel connection) {
    try (connection;
        InputStream in = Channels.newInputStream(connection);
        OutputStream out = Channels.newOutputStream(connection)) {
      while (true) {
        String requestLine = TrainingApiServer.line(in);
        if (requestLine == null || requestLine.isEmpty()) {
          return;
        }
        Map<String, String> headers = new HashMap<>();
        for (String h = TrainingApiServer.line(in);
            h != null && !h.isEmpty();
            h = TrainingApiServer.line(in)) {
          int colon = h.indexOf(':');
          headers.put(
              h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              h.substring(colon + 1).strip());
        }
        byte[] body = body(in, headers);
        String[] parts = requestLine.split(" ");
        if (!answer(parts[0], parts[1], new String(body, StandardCharsets.UTF_8), in, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  /** Answers one request; false when the connection is done (a stream was sent). */
  private boolean answer(
      String method, String target, String body, InputStream in, OutputStream out)
      throws IOException {
    String path = URLDecoder.decode(target.split("\\?")[0], StandardCharsets.UTF_8);
    path = path.replaceFirst("^/v1\\.\\d+", "");
    if (path.equals("/_ping")) {
      respond(out, 200, "text/plain", "OK");
    } else if (path.equals("/version")) {
      json(
          out,
          200,
          "{\"Version\":\"20.10.24\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\",\"Os\":\"linux\",\"Arch\":\"amd64\"}");
    } else if (path.equals("/info")) {
      json(
          out,
          200,
          "{\"Driver\":\"overlay2\",\"ServerVersion\":\"20.10.24\",\"CgroupVersion\":\"1\",\"OperatingSystem\":\"training\"}");
    } else if (path.equals("/images/json")) {
      json(out, 200, "[" + image(true) + "]");
    } else if (IMAGE.matcher(path).matches()) {
      boolean known = IMAGE.matcher(path).replaceFirst("$1").equals(ImageCatalog.STANDIN_IMAGE);
      json(out, known ? 200 : 404, known ? image(false) : "{\"message\":\"No such image\"}");
    } else if (path.equals("/containers/json")) {
      json(out, 200, containerName == null ? "[]" : "[" + listed() + "]");
    } else if (path.equals("/containers/create")) {
      containerName = target.replaceFirst(".*[?&]name=([^&]+).*", "$1");
      containerLabels.putAll(labels(body));
      json(out, 201, "{\"Id\":\"" + ID + "\",\"Warnings\":[]}");
    } else if (path.equals("/volumes/create")) {
      json(
          out,
          201,
          "{\"Name\":\"training\",\"Driver\":\"local\",\"Labels\":"
              + labelsJson(labels(body))
              + "}");
    } else if (path.equals("/volumes")) {
      json(out, 200, "{\"Volumes\":[],\"Warnings\":[]}");
    } else if (VOLUME.matcher(path).matches()) {
      respond(out, 204, "application/json", "");
    } else if (path.equals("/events")) {
      events(out, in);
      return false;
    } else {
      Matcher c = CONTAINER.matcher(path);
      if (!c.matches()
          || containerName == null
          || !(c.group(1).equals(ID) || c.group(1).equals(containerName))) {
        json(
            out,
            404,
            "{\"message\":\"No such container: " + (c.matches() ? c.group(1) : path) + "\"}");
      } else {
        container(method, c.group(2) == null ? "" : c.group(2), out);
      }
    }
    return true;
  }

  private void container(String method, String action, OutputStream out) throws IOException {
    switch (action) {
      case "/start" -> {
        startedAt = Instant.now();
        api = TrainingApiServer.serve(apiPort);
        respond(out, 204, "application/json", "");
      }
      case "/stop", "/kill" -> respond(out, 204, "application/json", "");
      case "/archive" -> respond(out, 200, "application/x-tar", TrainingApiServer.kubeconfigTar());
      case "/logs" -> {
        byte[] line = "training: the server exits at once\n".getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(8 + line.length).put((byte) 2).put(new byte[3]);
        frame.putInt(line.length).put(line);
        respond(out, 200, "application/vnd.docker.raw-stream", frame.array());
      }
      case "/json" -> json(out, 200, inspection());
      case "" -> {
        containerName = null; // DELETE
        startedAt = null;
        respond(out, 204, "application/json", "");
      }
      default -> json(out, 404, "{\"message\":\"not in the training\"}");
    }
  }

  /**
   * Docker's event stream, left open with nothing in it: the server never dies. It ends when {@code
   * up} closes it.
   */
  private static void events(OutputStream out, InputStream in) throws IOException {
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    while (in.read() != -1) {
      // until the client hangs up
    }
  }

  private String inspection() {
    boolean running = startedAt != null;
    return "{\"Id\":\""
        + ID
        + "\",\"Name\":\"/"
        + containerName
        + "\",\"RestartCount\":0,"
        + "\"Config\":{\"Image\":\""
        + ImageCatalog.STANDIN_IMAGE
        + "\",\"Labels\":"
        + labelsJson(containerLabels)
        + "},\"State\":{\"Running\":"
        + running
        + ",\"Restarting\":false,\"ExitCode\":0,\"StartedAt\":\""
        + (running ? startedAt : "0001-01-01T00:00:00Z")
        + "\"}}";
  }

  /** The container as {@code docker ps -a} lists it. */
  private String listed() {
    return "{\"Id\":\""
        + ID
        + "\",\"Names\":[\"/"
        + containerName
        + "\"],\"Image\":\""
        + ImageCatalog.STANDIN_IMAGE
        + "\",\"State\":\""
        + (startedAt != null ? "running" : "created")
        + "\",\"Labels\":"
        + labelsJson(containerLabels)
        + "}";
  }

  private static String image(boolean listed) {
    String labels =
        labelsJson(Map.of(Labels.IMAGE_FLAVOR, "standin", Labels.IMAGE_PRIVILEGE, "none"));
    return "{\"Id\":\"sha256:"
        + ID
        + "\",\"RepoTags\":[\""
        + ImageCatalog.STANDIN_IMAGE
        + "\"],"
        + "\"Size\":1,\"Created\":1,"
        + (listed ? "\"Labels\":" + labels : "\"Config\":{\"Labels\":" + labels + "}")
        + "}";
  }

  /** The {@code Labels} object of a create request, flat string pairs as k3sbox sends them. */
  private static Map<String, String> labels(String body) {
    Map<String, String> labels = new HashMap<>();
    Matcher object = Pattern.compile("\"Labels\"\\s*:\\s*\\{([^}]*)}").matcher(body);
    if (object.find()) {
      Matcher pair =
          Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
              .matcher(object.group(1));
      while (pair.find()) {
        labels.put(pair.group(1), pair.group(2));
      }
    }
    return labels;
  }

  private static String labelsJson(Map<String, String> labels) {
    StringBuilder json = new StringBuilder("{");
    labels.forEach(
        (k, v) ->
            json.append(json.length() > 1 ? "," : "")
                .append('"')
                .append(k)
                .append("\":\"")
                .append(v)
                .append('"'));
    return json.append('}').toString();
  }

  private static void json(OutputStream out, int status, String body) throws IOException {
    respond(out, status, "application/json", body);
  }

  private static void respond(OutputStream out, int status, String type, String body)
      throws IOException {
    respond(out, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(OutputStream out, int status, String type, byte[] body)
      throws IOException {
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + (status < 300 ? "OK" : "Not Found")
            + "\r\n"
            + "Content-Type: "
            + type
            + "\r\nApi-Version: 1.41\r\n"
            + (status == 204 ? "" : "Content-Length: " + body.length + "\r\n")
            + "\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(TrainingApiServer.line(in).strip(), 16);
          size > 0;
          size = Integer.parseInt(TrainingApiServer.line(in).strip(), 16)) {
        body.write(in.readNBytes(size));
        TrainingApiServer.line(in);
      }
      TrainingApiServer.line(in);
      return body.toByteArray();
    }
    String length = headers.get("content-length");
    return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
  }

  private static void daemon(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
  }
}
