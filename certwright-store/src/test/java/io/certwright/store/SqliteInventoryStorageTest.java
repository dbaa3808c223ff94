package io.certwright.store;

class SqliteInventoryStorageTest extends InventoryStorageTest {

    @Override
    TestDatabases.Engine engine() {
        return TestDatabases.Engine.SQLITE;
    }
}
