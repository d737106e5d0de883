package io.chimera.perf.pool;

/**
 * Generated delegate: the {@link java.sql.PreparedStatement} methods on top of {@link
 * TrackedStatement}.
 *
 * @param <S> the driver's statement type
 */
@SuppressWarnings({"deprecation", "unchecked"}) // forwards deprecated JDBC methods as they are
class TrackedPreparedStatement<S extends java.sql.PreparedStatement> extends TrackedStatement<S>
    implements java.sql.PreparedStatement {

  TrackedPreparedStatement(S delegate, TrackedConnectionBase owner) {
    super(delegate, owner);
  }

  @Override
  public void addBatch() throws java.sql.SQLException {
    try {
      delegate.addBatch();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void clearParameters() throws java.sql.SQLException {
    try {
      delegate.clearParameters();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean execute() throws java.sql.SQLException {
    try {
      return delegate.execute();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public long executeLargeUpdate() throws java.sql.SQLException {
    try {
      return delegate.executeLargeUpdate();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.ResultSet executeQuery() throws java.sql.SQLException {
    try {
      return delegate.executeQuery();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int executeUpdate() throws java.sql.SQLException {
    try {
      return delegate.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.ResultSetMetaData getMetaData() throws java.sql.SQLException {
    try {
      return delegate.getMetaData();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.ParameterMetaData getParameterMetaData() throws java.sql.SQLException {
    try {
      return delegate.getParameterMetaData();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setArray(int a0, java.sql.Array a1) throws java.sql.SQLException {
    try {
      delegate.setArray(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setAsciiStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
    try {
      delegate.setAsciiStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setAsciiStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
    try {
      delegate.setAsciiStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setAsciiStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {
    try {
      delegate.setAsciiStream(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBigDecimal(int a0, java.math.BigDecimal a1) throws java.sql.SQLException {
    try {
      delegate.setBigDecimal(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBinaryStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
    try {
      delegate.setBinaryStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBinaryStream(int a0, java.io.InputStream a1, long a2)
      throws java.sql.SQLException {
    try {
      delegate.setBinaryStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBinaryStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {
    try {
      delegate.setBinaryStream(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBlob(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
    try {
      delegate.setBlob(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBlob(int a0, java.io.InputStream a1) throws java.sql.SQLException {
    try {
      delegate.setBlob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBlob(int a0, java.sql.Blob a1) throws java.sql.SQLException {
    try {
      delegate.setBlob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBoolean(int a0, boolean a1) throws java.sql.SQLException {
    try {
      delegate.setBoolean(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setByte(int a0, byte a1) throws java.sql.SQLException {
    try {
      delegate.setByte(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setBytes(int a0, byte[] a1) throws java.sql.SQLException {
    try {
      delegate.setBytes(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setCharacterStream(int a0, java.io.Reader a1, int a2) throws java.sql.SQLException {
    try {
      delegate.setCharacterStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
    try {
      delegate.setCharacterStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {
    try {
      delegate.setCharacterStream(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
    try {
      delegate.setClob(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setClob(int a0, java.io.Reader a1) throws java.sql.SQLException {
    try {
      delegate.setClob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setClob(int a0, java.sql.Clob a1) throws java.sql.SQLException {
    try {
      delegate.setClob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setDate(int a0, java.sql.Date a1, java.util.Calendar a2)
      throws java.sql.SQLException {
    try {
      delegate.setDate(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setDate(int a0, java.sql.Date a1) throws java.sql.SQLException {
    try {
      delegate.setDate(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setDouble(int a0, double a1) throws java.sql.SQLException {
    try {
      delegate.setDouble(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setFloat(int a0, float a1) throws java.sql.SQLException {
    try {
      delegate.setFloat(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setInt(int a0, int a1) throws java.sql.SQLException {
    try {
      delegate.setInt(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setLong(int a0, long a1) throws java.sql.SQLException {
    try {
      delegate.setLong(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
    try {
      delegate.setNCharacterStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {
    try {
      delegate.setNCharacterStream(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
    try {
      delegate.setNClob(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNClob(int a0, java.io.Reader a1) throws java.sql.SQLException {
    try {
      delegate.setNClob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNClob(int a0, java.sql.NClob a1) throws java.sql.SQLException {
    try {
      delegate.setNClob(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNString(int a0, java.lang.String a1) throws java.sql.SQLException {
    try {
      delegate.setNString(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNull(int a0, int a1, java.lang.String a2) throws java.sql.SQLException {
    try {
      delegate.setNull(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setNull(int a0, int a1) throws java.sql.SQLException {
    try {
      delegate.setNull(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setObject(int a0, java.lang.Object a1, int a2, int a3) throws java.sql.SQLException {
    try {
      delegate.setObject(a0, a1, a2, a3);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setObject(int a0, java.lang.Object a1, int a2) throws java.sql.SQLException {
    try {
      delegate.setObject(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setObject(int a0, java.lang.Object a1, java.sql.SQLType a2, int a3)
      throws java.sql.SQLException {
    try {
      delegate.setObject(a0, a1, a2, a3);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setObject(int a0, java.lang.Object a1, java.sql.SQLType a2)
      throws java.sql.SQLException {
    try {
      delegate.setObject(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setObject(int a0, java.lang.Object a1) throws java.sql.SQLException {
    try {
      delegate.setObject(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setRef(int a0, java.sql.Ref a1) throws java.sql.SQLException {
    try {
      delegate.setRef(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setRowId(int a0, java.sql.RowId a1) throws java.sql.SQLException {
    try {
      delegate.setRowId(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setSQLXML(int a0, java.sql.SQLXML a1) throws java.sql.SQLException {
    try {
      delegate.setSQLXML(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setShort(int a0, short a1) throws java.sql.SQLException {
    try {
      delegate.setShort(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setString(int a0, java.lang.String a1) throws java.sql.SQLException {
    try {
      delegate.setString(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setTime(int a0, java.sql.Time a1, java.util.Calendar a2)
      throws java.sql.SQLException {
    try {
      delegate.setTime(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setTime(int a0, java.sql.Time a1) throws java.sql.SQLException {
    try {
      delegate.setTime(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setTimestamp(int a0, java.sql.Timestamp a1, java.util.Calendar a2)
      throws java.sql.SQLException {
    try {
      delegate.setTimestamp(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setTimestamp(int a0, java.sql.Timestamp a1) throws java.sql.SQLException {
    try {
      delegate.setTimestamp(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setURL(int a0, java.net.URL a1) throws java.sql.SQLException {
    try {
      delegate.setURL(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Deprecated
  @Override
  public void setUnicodeStream(int a0, java.io.InputStream a1, int a2)
      throws java.sql.SQLException {
    try {
      delegate.setUnicodeStream(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }
}
