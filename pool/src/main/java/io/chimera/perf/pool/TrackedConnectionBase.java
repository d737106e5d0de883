package io.chimera.perf.pool;

/** Generated delegate: forwards every call to the driver's object and reports SQL errors. */
@SuppressWarnings({"deprecation", "unchecked"}) // forwards deprecated JDBC methods as they are
abstract class TrackedConnectionBase implements java.sql.Connection {
  /**
   * The physical connection; replaced only by {@link TrackedConnection#adopt}, while HikariCP has
   * lent the connection to the thread that replaces it, so a plain field suffices.
   */
  java.sql.Connection delegate;

  TrackedConnectionBase(java.sql.Connection delegate) {
    this.delegate = delegate;
  }

  /** Sees every SQL error of this connection and its statements; returns it to throw. */
  abstract java.sql.SQLException failed(java.sql.SQLException e);

  @Override
  public void abort(java.util.concurrent.Executor a0) throws java.sql.SQLException {
    try {
      delegate.abort(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void beginRequest() throws java.sql.SQLException {
    try {
      delegate.beginRequest();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void commit() throws java.sql.SQLException {
    try {
      delegate.commit();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.Array createArrayOf(java.lang.String a0, java.lang.Object[] a1)
      throws java.sql.SQLException {
    try {
      return delegate.createArrayOf(a0, a1);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.Blob createBlob() throws java.sql.SQLException {
    try {
      return delegate.createBlob();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.Clob createClob() throws java.sql.SQLException {
    try {
      return delegate.createClob();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.NClob createNClob() throws java.sql.SQLException {
    try {
      return delegate.createNClob();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.SQLXML createSQLXML() throws java.sql.SQLException {
    try {
      return delegate.createSQLXML();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.Statement createStatement() throws java.sql.SQLException {
    try {
      return new TrackedStatement<>(delegate.createStatement(), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.Statement createStatement(int a0, int a1, int a2) throws java.sql.SQLException {
    try {
      return new TrackedStatement<>(delegate.createStatement(a0, a1, a2), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.Statement createStatement(int a0, int a1) throws java.sql.SQLException {
    try {
      return new TrackedStatement<>(delegate.createStatement(a0, a1), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.Struct createStruct(java.lang.String a0, java.lang.Object[] a1)
      throws java.sql.SQLException {
    try {
      return delegate.createStruct(a0, a1);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void endRequest() throws java.sql.SQLException {
    try {
      delegate.endRequest();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean getAutoCommit() throws java.sql.SQLException {
    try {
      return delegate.getAutoCommit();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.lang.String getCatalog() throws java.sql.SQLException {
    try {
      return delegate.getCatalog();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.util.Properties getClientInfo() throws java.sql.SQLException {
    try {
      return delegate.getClientInfo();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.lang.String getClientInfo(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.getClientInfo(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public int getHoldability() throws java.sql.SQLException {
    try {
      return delegate.getHoldability();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.DatabaseMetaData getMetaData() throws java.sql.SQLException {
    try {
      return delegate.getMetaData();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public int getNetworkTimeout() throws java.sql.SQLException {
    try {
      return delegate.getNetworkTimeout();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.lang.String getSchema() throws java.sql.SQLException {
    try {
      return delegate.getSchema();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public int getTransactionIsolation() throws java.sql.SQLException {
    try {
      return delegate.getTransactionIsolation();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.util.Map<java.lang.String, java.lang.Class<?>> getTypeMap()
      throws java.sql.SQLException {
    try {
      return delegate.getTypeMap();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.SQLWarning getWarnings() throws java.sql.SQLException {
    try {
      return delegate.getWarnings();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean isClosed() throws java.sql.SQLException {
    try {
      return delegate.isClosed();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean isReadOnly() throws java.sql.SQLException {
    try {
      return delegate.isReadOnly();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.lang.String nativeSQL(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.nativeSQL(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.CallableStatement prepareCall(java.lang.String a0, int a1, int a2, int a3)
      throws java.sql.SQLException {
    try {
      return new TrackedCallableStatement(delegate.prepareCall(a0, a1, a2, a3), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.CallableStatement prepareCall(java.lang.String a0, int a1, int a2)
      throws java.sql.SQLException {
    try {
      return new TrackedCallableStatement(delegate.prepareCall(a0, a1, a2), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.CallableStatement prepareCall(java.lang.String a0) throws java.sql.SQLException {
    try {
      return new TrackedCallableStatement(delegate.prepareCall(a0), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int[] a1)
      throws java.sql.SQLException {
    try {
      return new TrackedPreparedStatement<>(delegate.prepareStatement(a0, a1), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String a0, java.lang.String[] a1)
      throws java.sql.SQLException {
    try {
      return new TrackedPreparedStatement<>(delegate.prepareStatement(a0, a1), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int a1, int a2, int a3)
      throws java.sql.SQLException {
    try {
      return new TrackedPreparedStatement<>(delegate.prepareStatement(a0, a1, a2, a3), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int a1, int a2)
      throws java.sql.SQLException {
    try {
      return new TrackedPreparedStatement<>(delegate.prepareStatement(a0, a1, a2), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int a1)
      throws java.sql.SQLException {
    try {
      return new TrackedPreparedStatement<>(delegate.prepareStatement(a0, a1), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String a0)
      throws java.sql.SQLException {
    try {
      return new TrackedPreparedStatement<>(delegate.prepareStatement(a0), this);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void releaseSavepoint(java.sql.Savepoint a0) throws java.sql.SQLException {
    try {
      delegate.releaseSavepoint(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void rollback() throws java.sql.SQLException {
    try {
      delegate.rollback();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void rollback(java.sql.Savepoint a0) throws java.sql.SQLException {
    try {
      delegate.rollback(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setAutoCommit(boolean a0) throws java.sql.SQLException {
    try {
      delegate.setAutoCommit(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setCatalog(java.lang.String a0) throws java.sql.SQLException {
    try {
      delegate.setCatalog(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setClientInfo(java.lang.String a0, java.lang.String a1)
      throws java.sql.SQLClientInfoException {
    delegate.setClientInfo(a0, a1);
  }

  @Override
  public void setClientInfo(java.util.Properties a0) throws java.sql.SQLClientInfoException {
    delegate.setClientInfo(a0);
  }

  @Override
  public void setHoldability(int a0) throws java.sql.SQLException {
    try {
      delegate.setHoldability(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setNetworkTimeout(java.util.concurrent.Executor a0, int a1)
      throws java.sql.SQLException {
    try {
      delegate.setNetworkTimeout(a0, a1);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setReadOnly(boolean a0) throws java.sql.SQLException {
    try {
      delegate.setReadOnly(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.Savepoint setSavepoint() throws java.sql.SQLException {
    try {
      return delegate.setSavepoint();
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public java.sql.Savepoint setSavepoint(java.lang.String a0) throws java.sql.SQLException {
    try {
      return delegate.setSavepoint(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setSchema(java.lang.String a0) throws java.sql.SQLException {
    try {
      delegate.setSchema(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setShardingKey(java.sql.ShardingKey a0, java.sql.ShardingKey a1)
      throws java.sql.SQLException {
    try {
      delegate.setShardingKey(a0, a1);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setShardingKey(java.sql.ShardingKey a0) throws java.sql.SQLException {
    try {
      delegate.setShardingKey(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean setShardingKeyIfValid(java.sql.ShardingKey a0, int a1)
      throws java.sql.SQLException {
    try {
      return delegate.setShardingKeyIfValid(a0, a1);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean setShardingKeyIfValid(java.sql.ShardingKey a0, java.sql.ShardingKey a1, int a2)
      throws java.sql.SQLException {
    try {
      return delegate.setShardingKeyIfValid(a0, a1, a2);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setTransactionIsolation(int a0) throws java.sql.SQLException {
    try {
      delegate.setTransactionIsolation(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setTypeMap(java.util.Map<java.lang.String, java.lang.Class<?>> a0)
      throws java.sql.SQLException {
    try {
      delegate.setTypeMap(a0);
    } catch (java.sql.SQLException e) {
      throw failed(e);
    }
  }
}
