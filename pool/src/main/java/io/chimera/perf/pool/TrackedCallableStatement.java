package io.chimera.perf.pool;

/**
 * Generated delegate: the {@link java.sql.CallableStatement} methods on top of {@link
 * TrackedPreparedStatement}.
 */
@SuppressWarnings({"deprecation", "unchecked"}) // forwards deprecated JDBC methods as they are
final class TrackedCallableStatement extends TrackedPreparedStatement<java.sql.CallableStatement>
    implements java.sql.CallableStatement {

  TrackedCallableStatement(java.sql.CallableStatement delegate, TrackedConnectionBase owner) {
    super(delegate, owner);
  }

  @Override
  public java.sql.Array getArray(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getArray(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Array getArray(int a0) throws java.sql.SQLException {
    try {
      return delegate.getArray(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.math.BigDecimal getBigDecimal(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getBigDecimal(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Deprecated
  @Override
  public java.math.BigDecimal getBigDecimal(int a0, int a1) throws java.sql.SQLException {
    try {
      return delegate.getBigDecimal(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.math.BigDecimal getBigDecimal(int a0) throws java.sql.SQLException {
    try {
      return delegate.getBigDecimal(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Blob getBlob(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getBlob(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Blob getBlob(int a0) throws java.sql.SQLException {
    try {
      return delegate.getBlob(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean getBoolean(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getBoolean(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean getBoolean(int a0) throws java.sql.SQLException {
    try {
      return delegate.getBoolean(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public byte getByte(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getByte(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public byte getByte(int a0) throws java.sql.SQLException {
    try {
      return delegate.getByte(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public byte[] getBytes(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getBytes(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public byte[] getBytes(int a0) throws java.sql.SQLException {
    try {
      return delegate.getBytes(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.io.Reader getCharacterStream(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getCharacterStream(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.io.Reader getCharacterStream(int a0) throws java.sql.SQLException {
    try {
      return delegate.getCharacterStream(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Clob getClob(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getClob(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Clob getClob(int a0) throws java.sql.SQLException {
    try {
      return delegate.getClob(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Date getDate(java.lang.String a0, java.util.Calendar a1)
      throws java.sql.SQLException {
    try {
      return delegate.getDate(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Date getDate(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getDate(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Date getDate(int a0, java.util.Calendar a1) throws java.sql.SQLException {
    try {
      return delegate.getDate(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Date getDate(int a0) throws java.sql.SQLException {
    try {
      return delegate.getDate(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public double getDouble(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getDouble(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public double getDouble(int a0) throws java.sql.SQLException {
    try {
      return delegate.getDouble(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public float getFloat(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getFloat(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public float getFloat(int a0) throws java.sql.SQLException {
    try {
      return delegate.getFloat(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int getInt(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getInt(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int getInt(int a0) throws java.sql.SQLException {
    try {
      return delegate.getInt(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public long getLong(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getLong(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public long getLong(int a0) throws java.sql.SQLException {
    try {
      return delegate.getLong(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.io.Reader getNCharacterStream(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getNCharacterStream(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.io.Reader getNCharacterStream(int a0) throws java.sql.SQLException {
    try {
      return delegate.getNCharacterStream(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.NClob getNClob(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getNClob(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.NClob getNClob(int a0) throws java.sql.SQLException {
    try {
      return delegate.getNClob(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.String getNString(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getNString(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.String getNString(int a0) throws java.sql.SQLException {
    try {
      return delegate.getNString(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public <T> T getObject(java.lang.String a0, java.lang.Class<T> a1) throws java.sql.SQLException {
    try {
      return delegate.getObject(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.Object getObject(
      java.lang.String a0, java.util.Map<java.lang.String, java.lang.Class<?>> a1)
      throws java.sql.SQLException {
    try {
      return delegate.getObject(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.Object getObject(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getObject(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public <T> T getObject(int a0, java.lang.Class<T> a1) throws java.sql.SQLException {
    try {
      return delegate.getObject(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.Object getObject(int a0, java.util.Map<java.lang.String, java.lang.Class<?>> a1)
      throws java.sql.SQLException {
    try {
      return delegate.getObject(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.Object getObject(int a0) throws java.sql.SQLException {
    try {
      return delegate.getObject(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Ref getRef(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getRef(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Ref getRef(int a0) throws java.sql.SQLException {
    try {
      return delegate.getRef(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.RowId getRowId(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getRowId(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.RowId getRowId(int a0) throws java.sql.SQLException {
    try {
      return delegate.getRowId(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.SQLXML getSQLXML(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getSQLXML(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.SQLXML getSQLXML(int a0) throws java.sql.SQLException {
    try {
      return delegate.getSQLXML(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public short getShort(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getShort(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public short getShort(int a0) throws java.sql.SQLException {
    try {
      return delegate.getShort(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.String getString(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getString(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.String getString(int a0) throws java.sql.SQLException {
    try {
      return delegate.getString(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Time getTime(java.lang.String a0, java.util.Calendar a1)
      throws java.sql.SQLException {
    try {
      return delegate.getTime(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Time getTime(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getTime(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Time getTime(int a0, java.util.Calendar a1) throws java.sql.SQLException {
    try {
      return delegate.getTime(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Time getTime(int a0) throws java.sql.SQLException {
    try {
      return delegate.getTime(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Timestamp getTimestamp(java.lang.String a0, java.util.Calendar a1)
      throws java.sql.SQLException {
    try {
      return delegate.getTimestamp(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Timestamp getTimestamp(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getTimestamp(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Timestamp getTimestamp(int a0, java.util.Calendar a1)
      throws java.sql.SQLException {
    try {
      return delegate.getTimestamp(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Timestamp getTimestamp(int a0) throws java.sql.SQLException {
    try {
      return delegate.getTimestamp(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.net.URL getURL(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getURL(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.net.URL getURL(int a0) throws java.sql.SQLException {
    try {
      return delegate.getURL(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(java.lang.String a0, int a1, java.lang.String a2)
      throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(java.lang.String a0, int a1, int a2)
      throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(java.lang.String a0, int a1) throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(java.lang.String a0, java.sql.SQLType a1, java.lang.String a2)
      throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(java.lang.String a0, java.sql.SQLType a1, int a2)
      throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(java.lang.String a0, java.sql.SQLType a1)
      throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, int a1, java.lang.String a2)
      throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, int a1, int a2) throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, int a1) throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, java.sql.SQLType a1, java.lang.String a2)
      throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, java.sql.SQLType a1, int a2)
      throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, java.sql.SQLType a1) throws java.sql.SQLException {
    try {
      delegate.registerOutParameter(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setAsciiStream(java.lang.String a0, java.io.InputStream a1, int a2)
      throws java.sql.SQLException {
    try {
      delegate.setAsciiStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setAsciiStream(java.lang.String a0, java.io.InputStream a1, long a2)
      throws java.sql.SQLException {
    try {
      delegate.setAsciiStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setAsciiStream(java.lang.String a0, java.io.InputStream a1)
      throws java.sql.SQLException {
    try {
      delegate.setAsciiStream(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBigDecimal(java.lang.String a0, java.math.BigDecimal a1)
      throws java.sql.SQLException {
    try {
      delegate.setBigDecimal(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBinaryStream(java.lang.String a0, java.io.InputStream a1, int a2)
      throws java.sql.SQLException {
    try {
      delegate.setBinaryStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBinaryStream(java.lang.String a0, java.io.InputStream a1, long a2)
      throws java.sql.SQLException {
    try {
      delegate.setBinaryStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBinaryStream(java.lang.String a0, java.io.InputStream a1)
      throws java.sql.SQLException {
    try {
      delegate.setBinaryStream(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBlob(java.lang.String a0, java.io.InputStream a1, long a2)
      throws java.sql.SQLException {
    try {
      delegate.setBlob(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBlob(java.lang.String a0, java.io.InputStream a1) throws java.sql.SQLException {
    try {
      delegate.setBlob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBlob(java.lang.String a0, java.sql.Blob a1) throws java.sql.SQLException {
    try {
      delegate.setBlob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBoolean(java.lang.String a0, boolean a1) throws java.sql.SQLException {
    try {
      delegate.setBoolean(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setByte(java.lang.String a0, byte a1) throws java.sql.SQLException {
    try {
      delegate.setByte(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBytes(java.lang.String a0, byte[] a1) throws java.sql.SQLException {
    try {
      delegate.setBytes(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setCharacterStream(java.lang.String a0, java.io.Reader a1, int a2)
      throws java.sql.SQLException {
    try {
      delegate.setCharacterStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setCharacterStream(java.lang.String a0, java.io.Reader a1, long a2)
      throws java.sql.SQLException {
    try {
      delegate.setCharacterStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setCharacterStream(java.lang.String a0, java.io.Reader a1)
      throws java.sql.SQLException {
    try {
      delegate.setCharacterStream(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setClob(java.lang.String a0, java.io.Reader a1, long a2)
      throws java.sql.SQLException {
    try {
      delegate.setClob(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setClob(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
    try {
      delegate.setClob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setClob(java.lang.String a0, java.sql.Clob a1) throws java.sql.SQLException {
    try {
      delegate.setClob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setDate(java.lang.String a0, java.sql.Date a1, java.util.Calendar a2)
      throws java.sql.SQLException {
    try {
      delegate.setDate(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setDate(java.lang.String a0, java.sql.Date a1) throws java.sql.SQLException {
    try {
      delegate.setDate(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setDouble(java.lang.String a0, double a1) throws java.sql.SQLException {
    try {
      delegate.setDouble(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setFloat(java.lang.String a0, float a1) throws java.sql.SQLException {
    try {
      delegate.setFloat(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setInt(java.lang.String a0, int a1) throws java.sql.SQLException {
    try {
      delegate.setInt(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setLong(java.lang.String a0, long a1) throws java.sql.SQLException {
    try {
      delegate.setLong(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNCharacterStream(java.lang.String a0, java.io.Reader a1, long a2)
      throws java.sql.SQLException {
    try {
      delegate.setNCharacterStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNCharacterStream(java.lang.String a0, java.io.Reader a1)
      throws java.sql.SQLException {
    try {
      delegate.setNCharacterStream(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNClob(java.lang.String a0, java.io.Reader a1, long a2)
      throws java.sql.SQLException {
    try {
      delegate.setNClob(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNClob(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
    try {
      delegate.setNClob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNClob(java.lang.String a0, java.sql.NClob a1) throws java.sql.SQLException {
    try {
      delegate.setNClob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNString(java.lang.String a0, java.lang.String a1) throws java.sql.SQLException {
    try {
      delegate.setNString(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNull(java.lang.String a0, int a1, java.lang.String a2)
      throws java.sql.SQLException {
    try {
      delegate.setNull(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNull(java.lang.String a0, int a1) throws java.sql.SQLException {
    try {
      delegate.setNull(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setObject(java.lang.String a0, java.lang.Object a1, int a2, int a3)
      throws java.sql.SQLException {
    try {
      delegate.setObject(a0, a1, a2, a3);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setObject(java.lang.String a0, java.lang.Object a1, int a2)
      throws java.sql.SQLException {
    try {
      delegate.setObject(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setObject(java.lang.String a0, java.lang.Object a1, java.sql.SQLType a2, int a3)
      throws java.sql.SQLException {
    try {
      delegate.setObject(a0, a1, a2, a3);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setObject(java.lang.String a0, java.lang.Object a1, java.sql.SQLType a2)
      throws java.sql.SQLException {
    try {
      delegate.setObject(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setObject(java.lang.String a0, java.lang.Object a1) throws java.sql.SQLException {
    try {
      delegate.setObject(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setRowId(java.lang.String a0, java.sql.RowId a1) throws java.sql.SQLException {
    try {
      delegate.setRowId(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setSQLXML(java.lang.String a0, java.sql.SQLXML a1) throws java.sql.SQLException {
    try {
      delegate.setSQLXML(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setShort(java.lang.String a0, short a1) throws java.sql.SQLException {
    try {
      delegate.setShort(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setString(java.lang.String a0, java.lang.String a1) throws java.sql.SQLException {
    try {
      delegate.setString(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setTime(java.lang.String a0, java.sql.Time a1, java.util.Calendar a2)
      throws java.sql.SQLException {
    try {
      delegate.setTime(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setTime(java.lang.String a0, java.sql.Time a1) throws java.sql.SQLException {
    try {
      delegate.setTime(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setTimestamp(java.lang.String a0, java.sql.Timestamp a1, java.util.Calendar a2)
      throws java.sql.SQLException {
    try {
      delegate.setTimestamp(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setTimestamp(java.lang.String a0, java.sql.Timestamp a1)
      throws java.sql.SQLException {
    try {
      delegate.setTimestamp(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setURL(java.lang.String a0, java.net.URL a1) throws java.sql.SQLException {
    try {
      delegate.setURL(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean wasNull() throws java.sql.SQLException {
    try {
      return delegate.wasNull();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }
}
