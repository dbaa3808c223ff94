package io.certwright.store;

class SqliteRevocationStoreTest extends RevocationStoreTest {

    @Override
    TestDatabases.Engine engine() {
        return TestDatabases.Engine.SQLITE;
    }
}
