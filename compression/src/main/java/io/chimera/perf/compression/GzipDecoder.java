package io.chimera.perf.compression;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decodes gzip (RFC 1952) including concatenated members, checking every member's CRC-32 and size.
 * Unlike {@link java.util.zip.GZIPInputStream} it never relies on {@code available()} to find the
 * next member and treats bytes after the last member that are not a gzip header as corrupt.
 */
final class GzipDecoder extends InputStream {

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final InputStream in;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] buf = new byte[8192];
  private int bufPos;
  private int bufLen;
  private boolean inBody;
  private boolean done;
  private long members;
  private long memberSize;

  GzipDecoder(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!done) {
      if (!inBody) {
        if (!readHeader()) {
          done = true;
          return -1;
        }
        inBody = true;
        inflater.reset();
        crc.reset();
        memberSize = 0;
        inflater.setInput(buf, bufPos, bufLen - bufPos);
      }
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        throw new ZipException("invalid deflate data: " + e.getMessage());
      }
      if (n > 0) {
        crc.update(b, off, n);
        memberSize += n;
        return n;
      }
      if (inflater.finished()) {
        bufPos = bufLen - inflater.getRemaining();
        readTrailer();
        inBody = false;
        members++;
      } else if (inflater.needsDictionary()) {
        throw new ZipException("deflate stream asks for a preset dictionary, not allowed in gzip");
      } else if (inflater.needsInput()) {
        fill(true);
        inflater.setInput(buf, 0, bufLen);
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }

  /** Reads a member header; false at a clean end of input after at least one member. */
  private boolean readHeader() throws IOException {
    int first = readByte(members == 0);
    if (first < 0) {
      return false;
    }
    if (first != 0x1f || readByte(true) != 0x8b) {
      throw new ZipException(members == 0 ? "not gzip: bad magic" : "bytes after the last member");
    }
    if (readByte(true) != 8) {
      throw new ZipException("unsupported gzip compression method");
    }
    int flags = readByte(true);
    for (int i = 0; i < 6; i++) {
      readByte(true); // mtime, xfl, os
    }
    if ((flags & FEXTRA) != 0) {
      int xlen = readByte(true) | (readByte(true) << 8);
      for (int i = 0; i < xlen; i++) {
        readByte(true);
      }
    }
    if ((flags & FNAME) != 0) {
      while (readByte(true) != 0) {
        // skip the zero-terminated file name
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (readByte(true) != 0) {
        // skip the zero-terminated comment
      }
    }
    if ((flags & FHCRC) != 0) {
      readByte(true);
      readByte(true);
    }
    return true;
  }

  private void readTrailer() throws IOException {
    long expectedCrc = readIntLe();
    long expectedSize = readIntLe();
    if (expectedCrc != crc.getValue()) {
      throw new ZipException("gzip CRC-32 mismatch");
    }
    if (expectedSize != (memberSize & 0xffffffffL)) {
      throw new ZipException("gzip size mismatch");
    }
  }

  private long readIntLe() throws IOException {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v |= ((long) readByte(true)) << (8 * i);
    }
    return v;
  }

  /** One raw byte from the buffer or the source; -1 at end of input unless {@code required}. */
  private int readByte(boolean required) throws IOException {
    if (bufPos >= bufLen && !fill(required)) {
      return -1;
    }
    return buf[bufPos++] & 0xff;
  }

  private boolean fill(boolean required) throws IOException {
    int n = in.read(buf, 0, buf.length);
    while (n == 0) {
      n = in.read(buf, 0, buf.length);
    }
    if (n < 0) {
      if (required) {
        throw new EOFException("gzip input ends early");
      }
      return false;
    }
    bufPos = 0;
    bufLen = n;
    return true;
  }
}
