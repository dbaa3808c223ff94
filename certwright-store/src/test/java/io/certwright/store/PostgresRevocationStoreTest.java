package io.certwright.store;

class PostgresRevocationStoreTest extends RevocationStoreTest {

    @Override
    TestDatabases.Engine engine() {
        return TestDatabases.Engine.POSTGRES;
    }
}
