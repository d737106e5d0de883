package io.chimera.perf.pool;

/**
 * Generated delegate: forwards every {@link java.sql.Statement} call to the driver's object and
 * reports SQL errors to the owning connection. The prepared and callable delegates extend it and
 * add only the methods their interfaces declare.
 *
 * @param <S> the driver's statement type
 */
@SuppressWarnings({"deprecation", "unchecked"}) // forwards deprecated JDBC methods as they are
class TrackedStatement<S extends java.sql.Statement> implements java.sql.Statement {
  final S delegate;
  final TrackedConnectionBase owner;

  TrackedStatement(S delegate, TrackedConnectionBase owner) {
    this.delegate = delegate;
    this.owner = owner;
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
  public java.sql.ResultSet executeQuery(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.executeQuery(a0);
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
  public void setCursorName(java.lang.String a0) throws java.sql.SQLException {
    try {
      delegate.setCursorName(a0);
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
  public void setLargeMaxRows(long a0) throws java.sql.SQLException {
    try {
      delegate.setLargeMaxRows(a0);
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
  public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
    return iface.isInstance(delegate) ? (T) delegate : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws java.sql.SQLException {
    return iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }
}
