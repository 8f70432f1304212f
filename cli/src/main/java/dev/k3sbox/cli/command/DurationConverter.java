package dev.k3sbox.cli.command;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses durations as kubectl and helm write them: {@code 90s}, {@code 2m}, {@code 1m30s}. */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");
  // Past a day a wait is a typo (3000000h), and deadline arithmetic would overflow.
  private static final Duration LONGEST = Duration.ofDays(1);

  @Override
  public Duration convert(String value) {
    try {
      return parse(value);
    } catch (ArithmeticException | NumberFormatException e) {
      throw tooLong(value);
    }
  }

  private static Duration parse(String value) {
    String v = value.trim();
    if (v.matches("\\d+")) {
      return check(value, Duration.ofSeconds(Long.parseLong(v)));
    }
    Matcher m = PART.matcher(v);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      end = m.end();
    }
    if (end == 0 || end != v.length()) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration; write it like 90s, 2m or 1m30s");
    }
    return check(value, total);
  }

  private static Duration check(String value, Duration d) {
    if (d.isZero()) {
      throw new TypeConversionException(
          "'" + value + "' is zero; give a positive duration like 90s");
    }
    if (d.compareTo(LONGEST) > 0) {
      throw tooLong(value);
    }
    return d;
  }

  private static TypeConversionException tooLong(String value) {
    return new TypeConversionException(
        "'" + value + "' is longer than a day; give a duration like 3m or 10m");
  }
}
