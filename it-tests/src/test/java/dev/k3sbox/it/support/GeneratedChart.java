package dev.k3sbox.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A generated chart of many objects, for the benchmark and for tests that need a long run. */
public final class GeneratedChart {
  private GeneratedChart() {}

  /**
   * Chart {@code bench} in {@code dir}: {@code objects} ConfigMaps, Services, Deployments and
   * Secrets in equal parts, all valid.
   */
  public static Path of(Path dir, int objects) throws IOException {
    Path chart = dir.resolve("bench");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: bench\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("values.yaml"), "count: " + objects + "\n");
    Files.writeString(
        chart.resolve("templates/objects.yaml"),
        """
        {{- range $i := until (int .Values.count) }}
        {{- $kind := mod $i 4 }}
        ---
        {{- if eq $kind 0 }}
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cm-{{ $i }}
        data:
          index: "{{ $i }}"
        {{- else if eq $kind 1 }}
        apiVersion: v1
        kind: Service
        metadata:
          name: svc-{{ $i }}
        spec:
          selector: {app: app-{{ $i }}}
          ports:
            - port: 80
              targetPort: 8080
        {{- else if eq $kind 2 }}
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: deploy-{{ $i }}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: app-{{ $i }}}
          template:
            metadata:
              labels: {app: app-{{ $i }}}
            spec:
              containers:
                - name: app
                  image: nginx:1.27
                  ports:
                    - containerPort: 8080
        {{- else }}
        apiVersion: v1
        kind: Secret
        metadata:
          name: secret-{{ $i }}
        stringData:
          password: p{{ $i }}
        {{- end }}
        {{- end }}
        """);
    return chart;
  }
}
