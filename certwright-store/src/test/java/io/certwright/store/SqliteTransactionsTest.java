package io.certwright.store;

class SqliteTransactionsTest extends TransactionsTest {

    @Override
    TestDatabases.Engine engine() {
        return TestDatabases.Engine.SQLITE;
    }
}
