package io.chimera.perf.pool;

/** Generated delegate: forwards every call to the driver's object and reports SQL errors. */
@SuppressWarnings({"deprecation", "unchecked"}) // forwards deprecated JDBC methods as they are
final class TrackedPreparedStatement implements java.sql.PreparedStatement {
  private final java.sql.PreparedStatement delegate;
  private final TrackedConnectionBase owner;

  TrackedPreparedStatement(java.sql.PreparedStatement delegate, TrackedConnectionBase owner) {
    this.delegate = delegate;
    this.owner = owner;
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
  public void addBatch(java.lang.String a0) throws java.sql.SQLException {
    try {
      delegate.addBatch(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void cancel() throws java.sql.SQLException {
    try {
      delegate.cancel();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void clearBatch() throws java.sql.SQLException {
    try {
      delegate.clearBatch();
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
  public void clearWarnings() throws java.sql.SQLException {
    try {
      delegate.clearWarnings();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void close() throws java.sql.SQLException {
    try {
      delegate.close();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void closeOnCompletion() throws java.sql.SQLException {
    try {
      delegate.closeOnCompletion();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.String enquoteIdentifier(java.lang.String a0, boolean a1)
      throws java.sql.SQLException {
    try {
      return delegate.enquoteIdentifier(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.String enquoteLiteral(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.enquoteLiteral(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.lang.String enquoteNCharLiteral(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.enquoteNCharLiteral(a0);
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
  public boolean execute(java.lang.String a0, int[] a1) throws java.sql.SQLException {
    try {
      return delegate.execute(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean execute(java.lang.String a0, java.lang.String[] a1) throws java.sql.SQLException {
    try {
      return delegate.execute(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean execute(java.lang.String a0, int a1) throws java.sql.SQLException {
    try {
      return delegate.execute(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean execute(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.execute(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int[] executeBatch() throws java.sql.SQLException {
    try {
      return delegate.executeBatch();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public long[] executeLargeBatch() throws java.sql.SQLException {
    try {
      return delegate.executeLargeBatch();
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
  public long executeLargeUpdate(java.lang.String a0, int[] a1) throws java.sql.SQLException {
    try {
      return delegate.executeLargeUpdate(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public long executeLargeUpdate(java.lang.String a0, java.lang.String[] a1)
      throws java.sql.SQLException {
    try {
      return delegate.executeLargeUpdate(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public long executeLargeUpdate(java.lang.String a0, int a1) throws java.sql.SQLException {
    try {
      return delegate.executeLargeUpdate(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public long executeLargeUpdate(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.executeLargeUpdate(a0);
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
  public java.sql.ResultSet executeQuery(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.executeQuery(a0);
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
  public int executeUpdate(java.lang.String a0, int[] a1) throws java.sql.SQLException {
    try {
      return delegate.executeUpdate(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int executeUpdate(java.lang.String a0, java.lang.String[] a1)
      throws java.sql.SQLException {
    try {
      return delegate.executeUpdate(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int executeUpdate(java.lang.String a0, int a1) throws java.sql.SQLException {
    try {
      return delegate.executeUpdate(a0, a1);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int executeUpdate(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.executeUpdate(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.Connection getConnection() throws java.sql.SQLException {
    return owner;
  }

  @Override
  public int getFetchDirection() throws java.sql.SQLException {
    try {
      return delegate.getFetchDirection();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int getFetchSize() throws java.sql.SQLException {
    try {
      return delegate.getFetchSize();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.ResultSet getGeneratedKeys() throws java.sql.SQLException {
    try {
      return delegate.getGeneratedKeys();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public long getLargeMaxRows() throws java.sql.SQLException {
    try {
      return delegate.getLargeMaxRows();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public long getLargeUpdateCount() throws java.sql.SQLException {
    try {
      return delegate.getLargeUpdateCount();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int getMaxFieldSize() throws java.sql.SQLException {
    try {
      return delegate.getMaxFieldSize();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int getMaxRows() throws java.sql.SQLException {
    try {
      return delegate.getMaxRows();
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
  public boolean getMoreResults() throws java.sql.SQLException {
    try {
      return delegate.getMoreResults();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean getMoreResults(int a0) throws java.sql.SQLException {
    try {
      return delegate.getMoreResults(a0);
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
  public int getQueryTimeout() throws java.sql.SQLException {
    try {
      return delegate.getQueryTimeout();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.ResultSet getResultSet() throws java.sql.SQLException {
    try {
      return delegate.getResultSet();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int getResultSetConcurrency() throws java.sql.SQLException {
    try {
      return delegate.getResultSetConcurrency();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int getResultSetHoldability() throws java.sql.SQLException {
    try {
      return delegate.getResultSetHoldability();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int getResultSetType() throws java.sql.SQLException {
    try {
      return delegate.getResultSetType();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public int getUpdateCount() throws java.sql.SQLException {
    try {
      return delegate.getUpdateCount();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public java.sql.SQLWarning getWarnings() throws java.sql.SQLException {
    try {
      return delegate.getWarnings();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean isCloseOnCompletion() throws java.sql.SQLException {
    try {
      return delegate.isCloseOnCompletion();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean isClosed() throws java.sql.SQLException {
    try {
      return delegate.isClosed();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean isPoolable() throws java.sql.SQLException {
    try {
      return delegate.isPoolable();
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public boolean isSimpleIdentifier(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.isSimpleIdentifier(a0);
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
  public void setCursorName(java.lang.String a0) throws java.sql.SQLException {
    try {
      delegate.setCursorName(a0);
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
  public void setEscapeProcessing(boolean a0) throws java.sql.SQLException {
    try {
      delegate.setEscapeProcessing(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setFetchDirection(int a0) throws java.sql.SQLException {
    try {
      delegate.setFetchDirection(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setFetchSize(int a0) throws java.sql.SQLException {
    try {
      delegate.setFetchSize(a0);
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
  public void setLargeMaxRows(long a0) throws java.sql.SQLException {
    try {
      delegate.setLargeMaxRows(a0);
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
  public void setMaxFieldSize(int a0) throws java.sql.SQLException {
    try {
      delegate.setMaxFieldSize(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setMaxRows(int a0) throws java.sql.SQLException {
    try {
      delegate.setMaxRows(a0);
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
  public void setPoolable(boolean a0) throws java.sql.SQLException {
    try {
      delegate.setPoolable(a0);
    } catch (java.sql.SQLException e) {
      throw owner.failed(e);
    }
  }

  @Override
  public void setQueryTimeout(int a0) throws java.sql.SQLException {
    try {
      delegate.setQueryTimeout(a0);
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

  @Override
  public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
    return iface.isInstance(delegate) ? (T) delegate : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws java.sql.SQLException {
    return iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }
}
