package dev.k3sbox.cli.warm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The warm JVM's side of its answer to a launcher: frames of a type byte, a 4-byte big-endian
 * length and the payload (see warm-client/main.go). One writer at a time: the command's stdout and
 * stderr are written from any of its threads.
 */
final class Frames {
  static final byte SERVING = 'p';
  static final byte STDOUT = 'o';
  static final byte STDERR = 'e';
  static final byte EXIT = 'x';
  static final byte COLD = 'c';

  private final SocketChannel channel;

  Frames(SocketChannel channel) {
    this.channel = channel;
  }

  synchronized void write(byte type, byte[] payload, int offset, int length) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(5).put(type).putInt(length).flip();
    ByteBuffer body = ByteBuffer.wrap(payload, offset, length);
    while (head.hasRemaining() || body.hasRemaining()) {
      channel.write(new ByteBuffer[] {head, body});
    }
  }

  void write(byte type, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    write(type, bytes, 0, bytes.length);
  }

  /** What the command writes to {@code type} (stdout or stderr), a frame a write. */
  OutputStream stream(byte type) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (len > 0) {
          Frames.this.write(type, b, off, len);
        }
      }
    };
  }
}
