package dev.k3sbox.core.cluster;

import static org.awaitility.Awaitility.await;

import dev.k3sbox.core.Progress;
import dev.k3sbox.core.api.ApiServer;
import dev.k3sbox.core.docker.DockerRehearsal;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ExitWatch;
import dev.k3sbox.core.host.PortCheck;
import dev.k3sbox.core.image.ImageCatalog;
import dev.k3sbox.core.image.ImageResolver;
import dev.k3sbox.core.image.ServerImage;
import dev.k3sbox.core.state.ProcessLock;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The code {@code up} runs to make a cluster, run once with no daemon and no server behind it, for
 * a class-data archive made of the run ({@code CdsTraining}): each Docker request of {@code up} is
 * built and sent, by the code {@code up} runs, to a socket that does not exist, each answer is read
 * from an empty JSON object (as a tree, or bound to the docker-java type {@code up} still binds), a
 * TLS handshake starts against a port that hangs up, and Awaitility and the tar reader run once.
 * Trained on {@code status} alone, the archive lacked about 120 of the classes {@code up} loads
 * before its server starts and 800 in all, each then read and verified from its jar. The command
 * line of {@code up} is parsed by {@code CdsTraining}.
 */
public final class UpRehearsal {
  private UpRehearsal() {}

  /** Runs the rehearsal; {@code dir} is a scratch folder for the socket path that is not there. */
  public static void run(Path dir) {
    host(dir);
    docker(dir);
    tls();
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1)).until(() -> true);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(InputStream.nullInputStream())) {
      tar.getNextEntry();
    } catch (IOException e) {
      // an empty stream: only the classes matter
    }
  }

  /** What {@code up} does on this host before its first Docker request: its lock, a port check. */
  private static void host(Path dir) {
    try (ProcessLock lock = new StateDir(dir).lockCluster("cds-training", Progress.NONE)) {
      PortCheck.whyBusy(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }
  }

  private static void docker(Path dir) {
    ContainerEngine engine = DockerRehearsal.engineWithoutDaemon(dir);
    ClusterSpec spec = ClusterSpec.builder("cds-training").build();
    List<Callable<?>> requests =
        List.of(
            () -> engine.inspect(ClusterName.container(spec.name())),
            () -> ImageResolver.ifLocal(engine.images(), "cds-training"),
            () -> new ImageCatalog(engine.images()).local(),
            () -> {
              PortGuard.ensureFree(spec);
              return null;
            },
            () -> {
              DataVolume.ensure(
                  engine,
                  "cds",
                  new ServerImage("cds-training", true, ServerImage.STANDIN),
                  Invocation.fresh("cds", dir.toString()),
                  Progress.NONE);
              return null;
            },
            () ->
                new ServerCreation(engine, Progress.NONE)
                    .createAndStart(
                        spec, new ServerImage("cds-training", true, ServerImage.STANDIN), Map.of()),
            () -> {
              engine.start("cds");
              return null;
            },
            () -> new ServerReadiness(engine, Progress.NONE).readKubeconfig("cds"),
            () -> {
              try (ExitWatch exits = engine.watchExits("cds", "1")) {
                await().atMost(Duration.ofSeconds(1)).until(exits::blind);
              }
              return null;
            },
            () -> {
              engine.remove("cds");
              return null;
            });
    for (Callable<?> request : requests) {
      try {
        request.call();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // refused: the socket does not exist
      }
    }
    ImageCatalog.runnable(List.of());
  }

  /** A ClientHello to a loopback port that reads it and hangs up. */
  private static void tls() {
    ApiServer.warmUp();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread hangUp =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  s.getInputStream().read(new byte[4096]);
                } catch (IOException e) {
                  // the client gave up first
                }
              });
      hangUp.setDaemon(true);
      hangUp.start();
      new BootProbe("https://127.0.0.1:" + server.getLocalPort()).stage();
    } catch (IOException e) {
      // no loopback port: the archive lacks the handshake, nothing else
    }
  }
}
