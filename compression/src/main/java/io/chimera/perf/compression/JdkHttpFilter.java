package io.chimera.perf.compression;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Compresses JDK {@code HttpServer} responses. The handler sees a wrapped exchange; when it calls
 * {@code sendResponseHeaders} the filter decides, sets {@code Content-Encoding} and {@code Vary},
 * and hands out a compressing body stream (the response is then sent chunked).
 */
final class JdkHttpFilter extends Filter {

  private final ResponseCompressor compressor;

  JdkHttpFilter(ResponseCompressor compressor) {
    this.compressor = compressor;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    Exchange wrapped = new Exchange(exchange, compressor);
    try {
      chain.doFilter(wrapped);
    } finally {
      wrapped.finish();
    }
  }

  @Override
  public String description() {
    return "chimera-perf response compression (gzip, br, zstd)";
  }

  /** The exchange the handler sees. */
  static final class Exchange extends HttpExchange {
    private final HttpExchange delegate;
    private final ResponseCompressor compressor;
    private OutputStream body;
    private boolean finished;

    Exchange(HttpExchange delegate, ResponseCompressor compressor) {
      this.delegate = delegate;
      this.compressor = compressor;
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
      compressor.ensureOpen();
      Headers response = delegate.getResponseHeaders();
      boolean noBody =
          length < 0
              || code < 200
              || code == 204
              || code == 304
              || "HEAD".equalsIgnoreCase(delegate.getRequestMethod());
      if (noBody) {
        delegate.sendResponseHeaders(code, length);
        return;
      }
      int d =
          compressor.decide(
              length == 0 ? -1 : length,
              response.getFirst("Content-Type"),
              acceptEncoding(delegate.getRequestHeaders()),
              response.getFirst("Content-Encoding"));
      if (d < 0) {
        int cause = -d - 1;
        if (ResponseCompressor.varies(cause)) {
          response.add("Vary", CompressionResult.VARY_ACCEPT_ENCODING);
        }
        if (length > 0) {
          compressor.metrics().skipped(cause, length);
        } else {
          // 0 announces a chunked body of unknown length: count the skip, record no size.
          compressor.metrics().skippedUnknownSize(cause);
        }
        delegate.sendResponseHeaders(code, length);
        return;
      }
      ContentCoding coding = ContentCoding.byId(d & ResponseCompressor.CODING_MASK);
      response.set("Content-Encoding", coding.token());
      response.add("Vary", CompressionResult.VARY_ACCEPT_ENCODING);
      response.remove("Content-Length");
      delegate.sendResponseHeaders(code, 0);
      body = compressor.wrap(delegate.getResponseBody(), coding);
    }

    @Override
    public OutputStream getResponseBody() {
      return body != null ? body : delegate.getResponseBody();
    }

    /** Finishes the compressed body if the handler did not close it. */
    void finish() throws IOException {
      if (!finished) {
        finished = true;
        if (body != null) {
          body.close();
        }
      }
    }

    @Override
    public void close() {
      try {
        finish();
      } catch (IOException e) {
        // The connection is going away; HttpExchange.close() cannot report it either.
      }
      delegate.close();
    }

    private static String acceptEncoding(Headers headers) {
      List<String> values = headers.get("Accept-Encoding");
      if (values == null || values.isEmpty()) {
        return null;
      }
      return values.size() == 1 ? values.get(0) : String.join(",", values);
    }

    @Override
    public Headers getRequestHeaders() {
      return delegate.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
      return delegate.getResponseHeaders();
    }

    @Override
    public URI getRequestURI() {
      return delegate.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
      return delegate.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
      return delegate.getHttpContext();
    }

    @Override
    public InputStream getRequestBody() {
      return delegate.getRequestBody();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return delegate.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
      return delegate.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return delegate.getLocalAddress();
    }

    @Override
    public String getProtocol() {
      return delegate.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
      return delegate.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      delegate.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
      delegate.setStreams(in, out);
    }

    @Override
    public HttpPrincipal getPrincipal() {
      return delegate.getPrincipal();
    }
  }
}
