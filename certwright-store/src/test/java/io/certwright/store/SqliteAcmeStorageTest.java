package io.certwright.store;

class SqliteAcmeStorageTest extends AcmeStorageTest {

    @Override
    TestDatabases.Engine engine() {
        return TestDatabases.Engine.SQLITE;
    }
}
