package io.certwright.store;

class PostgresInventoryStorageTest extends InventoryStorageTest {

    @Override
    TestDatabases.Engine engine() {
        return TestDatabases.Engine.POSTGRES;
    }
}
