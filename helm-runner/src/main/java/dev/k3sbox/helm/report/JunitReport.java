package dev.k3sbox.helm.report;

import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.util.List;

/**
 * JUnit XML as CI systems read it: a test suite per chart (per cell of a matrix: values set and
 * Kubernetes version in its name), a test case per object (class name = source template, name =
 * kind/namespace/name), a failure per rejected object.
 */
final class JunitReport {
  private JunitReport() {}

  static String render(List<ValidationReport> reports) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    long unrendered = reports.stream().filter(r -> r.failure() != null).count();
    long tests = reports.stream().mapToLong(ValidationReport::total).sum() + unrendered;
    long failures = reports.stream().mapToLong(ValidationReport::invalidCount).sum() + unrendered;
    xml.append(
        String.format(
            "<testsuites name=\"k3sbox validate\" tests=\"%d\" failures=\"%d\">%n",
            tests, failures));
    for (ValidationReport report : reports) {
      xml.append(
          String.format(
              "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">%n",
              escape(
                  report.chart()
                      + " (release "
                      + report.release()
                      + (report.cell() == null
                          ? ""
                          : ", values "
                              + report.cell().valuesSet()
                              + ", Kubernetes "
                              + report.cell().kubernetesVersion())
                      + ")"),
              report.total() + (report.failure() == null ? 0 : 1),
              report.invalidCount() + (report.failure() == null ? 0 : 1)));
      if (report.failure() != null) {
        xml.append(
            String.format(
                "    <testcase classname=\"%s\" name=\"render\">%n"
                    + "      <failure message=\"%s\" type=\"render\">%s</failure>%n"
                    + "    </testcase>%n",
                escape(report.chart()), escape(report.failure()), escape(report.failure())));
      }
      for (ObjectResult r : report.results()) {
        xml.append(
            String.format(
                "    <testcase classname=\"%s\" name=\"%s\"",
                escape(r.source()), escape(r.ref().display())));
        if (r.valid() && r.warnings().isEmpty()) {
          xml.append("/>\n");
          continue;
        }
        xml.append(">\n");
        if (!r.valid()) {
          String all = String.join("\n", r.errors());
          xml.append(
              String.format(
                  "      <failure message=\"%s\" type=\"rejected\">%s</failure>%n",
                  escape(r.errors().get(0)), escape(all)));
        }
        if (!r.warnings().isEmpty()) {
          xml.append("      <system-out>")
              .append(escape("warning: " + String.join("\nwarning: ", r.warnings())))
              .append("</system-out>\n");
        }
        xml.append("    </testcase>\n");
      }
      xml.append("  </testsuite>\n");
    }
    return xml.append("</testsuites>\n").toString();
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          // XML 1.0 forbids most control characters even escaped; the server never means them.
          if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
