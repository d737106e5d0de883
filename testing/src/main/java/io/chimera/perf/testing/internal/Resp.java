package io.chimera.perf.testing.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP2 client for fixture housekeeping (readiness pings, cluster setup); not a
 * general-purpose Redis client.
 */
public final class Resp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private Resp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  /** Connects with the given connect and read timeout in milliseconds. */
  public static Resp connect(String host, int port, int timeoutMillis) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      return new Resp(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Sends one command and returns its reply: a String for simple and bulk strings, a Long for
   * integers, a List for arrays, null for nil.
   *
   * @throws IOException on an I/O failure or an error reply
   */
  public Object call(String... args) throws IOException {
    return call(List.of(args));
  }

  /** As {@link #call(String...)}. */
  public Object call(List<String> args) throws IOException {
    out.write(("*" + args.size() + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(bytes);
      out.write('\r');
      out.write('\n');
    }
    out.flush();
    return read();
  }

  private Object read() throws IOException {
    int type = in.read();
    String line = line();
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new IOException("redis error: " + line);
      case ':' -> Long.parseLong(line);
      case '$' -> bulk(Integer.parseInt(line));
      case '*' -> array(Integer.parseInt(line));
      case -1 -> throw new EOFException("connection closed");
      default -> throw new IOException("unexpected RESP type byte " + type);
    };
  }

  private String bulk(int length) throws IOException {
    if (length < 0) {
      return null;
    }
    byte[] bytes = in.readNBytes(length + 2);
    if (bytes.length < length + 2) {
      throw new EOFException("connection closed mid-reply");
    }
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private List<Object> array(int count) throws IOException {
    if (count < 0) {
      return null;
    }
    List<Object> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(read());
    }
    return items;
  }

  private String line() throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\r') {
        int next = in.read();
        if (next == '\n') {
          return buffer.toString(StandardCharsets.UTF_8);
        }
        buffer.write(b);
        b = next;
      }
      buffer.write(b);
    }
    throw new EOFException("connection closed");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
